import type { ScriptStep } from "./script-step.js";

/**
 * A script that changes an existing file the way a model following OpenCode's tool
 * descriptions does: `read` it, then `edit` it (replace `oldString`, which must occur
 * exactly once, by `newString`), then end the turn with `summary`. Three turns.
 */
export function editFileScript(params: {
  path: string;
  oldString: string;
  newString: string;
  summary: string;
}): ScriptStep[] {
  const { path, oldString, newString, summary } = params;
  return [
    { toolCalls: [{ name: "read", arguments: { filePath: path } }] },
    { toolCalls: [{ name: "edit", arguments: { filePath: path, oldString, newString } }] },
    { reply: summary },
  ];
}
