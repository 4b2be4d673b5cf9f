import type { Config } from "@opencode-ai/sdk/v2";
import { parseModelId } from "./parse-model-id.js";

/** OpenCode's config file shape (`opencode.json`), as the SDK types it. */
export type OpencodeConfig = Config;

/**
 * Every permission OpenCode 1.18.33 asks about, decided up front: nobody is there to
 * answer a prompt, and an unanswered one blocks the run until it times out. Order
 * matters: OpenCode turns this object into rules in key order and the LAST matching
 * rule wins, so `"*"` comes first and the exceptions after it. Each key is spelled out
 * (not left to `"*"`) because a repository's own opencode.json is merged under this
 * one key by key: naming a key here replaces whatever the repository set for it.
 */
const unattendedPermissions = {
  "*": "allow",
  read: "allow", // the default asks before reading *.env files
  edit: "allow", // covers write, edit, apply_patch
  bash: "allow",
  glob: "allow",
  grep: "allow",
  list: "allow",
  task: "allow",
  skill: "allow",
  lsp: "allow",
  todowrite: "allow",
  webfetch: "allow",
  websearch: "allow",
  // The default asks before touching files outside the repository (e.g. ~/.cache).
  external_directory: "allow",
  // The default asks when the same tool call repeats three times in a row; the run
  // timeout, not a person, is what stops a looping agent here.
  doom_loop: "allow",
  // These tools exist to wait for a person's answer. A tool denied for every pattern
  // is not offered to the model at all (what `opencode run` does non-interactively).
  question: "deny",
  plan_enter: "deny",
  plan_exit: "deny",
} as const;

/**
 * The OpenCode config for one run: only the provider the run's model needs (so no
 * other provider's key enters the sandbox), that model for everything (also the
 * "small" model OpenCode would otherwise pick by itself for side tasks), and every
 * feature that would wait for a person, reach the network on its own, or do work
 * Ship does not use switched off: auto-update, sharing, LSP servers, formatters, and
 * OpenCode's own git snapshots of the worktree (Ship reads changes from git itself;
 * snapshots copy the whole repository into a second git store at every step).
 *
 * `providers` is Ship's `SHIP_PROVIDERS`, in OpenCode's own `provider` shape. A
 * provider missing from it is still enabled: OpenCode knows many providers by name,
 * and without credentials the run fails with an authentication error that says so.
 */
export function buildOpencodeConfig(params: {
  model: string;
  providers: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}): OpencodeConfig {
  const { providerID } = parseModelId(params.model);
  const provider = params.providers[providerID];
  return {
    model: params.model,
    small_model: params.model,
    enabled_providers: [providerID],
    ...(provider ? { provider: { [providerID]: structuredClone(provider) } } : {}),
    autoupdate: false,
    share: "disabled",
    snapshot: false,
    lsp: false,
    formatter: false,
    permission: { ...unattendedPermissions },
  };
}
