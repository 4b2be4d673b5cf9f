import type { ScriptStep } from "./script-step.js";

/**
 * A script that writes one file with OpenCode's `write` tool, then ends the turn with
 * `summary`. `path` may be relative: OpenCode resolves it against the session's
 * directory. `write` replaces an existing file too (opencode 1.18.33 does not hold
 * it to the "read it first" rule its tool description states).
 */
export function writeFileScript(params: {
  path: string;
  content: string;
  summary: string;
}): ScriptStep[] {
  return [
    {
      toolCalls: [{ name: "write", arguments: { filePath: params.path, content: params.content } }],
    },
    { reply: params.summary },
  ];
}
