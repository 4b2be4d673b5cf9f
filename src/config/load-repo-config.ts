import type { GitHubClient } from "../github/github-client.js";
import { type RepoConfig, repoConfigSchema } from "./repo-config-schema.js";

export const repoConfigPath = ".github/ship.yml";

/** The repository's Ship settings, or a problem to show the person who asked. */
export type RepoConfigResult = { ok: true; config: RepoConfig } | { ok: false; problem: string };

/**
 * Reads `.github/ship.yml` from the default branch with Probot's config loader (which
 * falls back to the owner's `.github` repository and follows `_extends`). Settings are
 * taken only from repositories of the same owner: `setup:` commands, `instructions` and
 * `actAs` from someone else's public repository would be theirs to change at any time.
 * A missing file means defaults; a broken one gives a message that quotes the file, the
 * key, what was found and what is expected.
 */
export async function loadRepoConfig(
  octokit: GitHubClient,
  owner: string,
  repo: string,
): Promise<RepoConfigResult> {
  let raw: Record<string, unknown>;
  try {
    const loaded = await octokit.config.get({ owner, repo, path: repoConfigPath });
    const foreign = loaded.files.find(
      (file) => file.config !== null && file.owner.toLowerCase() !== owner.toLowerCase(),
    );
    if (foreign) {
      return {
        ok: false,
        problem: `\`${repoConfigPath}\` extends \`${foreign.owner}/${foreign.repo}\`, another owner's repository; Ship takes settings only from ${owner}'s own repositories. Copy the settings in, or extend a repository of ${owner}.`,
      };
    }
    raw = loaded.config;
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status !== undefined) throw error; // GitHub trouble, not the file's fault
    return {
      ok: false,
      problem: `\`${repoConfigPath}\` is not valid YAML: ${(error as Error).message.split("\n")[0]}`,
    };
  }
  const { _extends: _, ...settings } = raw;
  const parsed = repoConfigSchema.safeParse(settings);
  if (parsed.success) return { ok: true, config: parsed.data };
  const issue = parsed.error.issues[0];
  const key = issue?.path.join(".") ?? "";
  if (issue?.code === "unrecognized_keys") {
    const keys = issue.keys.map((k) => `\`${k}\``).join(", ");
    return {
      ok: false,
      problem: `\`${repoConfigPath}\` has ${keys}, which Ship does not know. Known keys: ${Object.keys(
        repoConfigSchema.shape,
      )
        .map((k) => `\`${k}\``)
        .join(", ")}.`,
    };
  }
  const found = JSON.stringify(
    key
      .split(".")
      .reduce<unknown>((value, part) => (value as Record<string, unknown>)?.[part], settings),
  );
  const field = repoConfigSchema.shape[key.split(".")[0] as keyof typeof repoConfigSchema.shape];
  const expected = (field?.meta() as { expected?: string } | undefined)?.expected ?? issue?.message;
  return {
    ok: false,
    problem: `In \`${repoConfigPath}\`, \`${key}\` is ${found}; expected ${expected}.`,
  };
}
