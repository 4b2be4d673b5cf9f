import type { ScriptStep } from "./script-step.js";

/**
 * A script that runs one shell command with OpenCode's `bash` tool (in the session's
 * directory), then ends the turn with `summary`.
 */
export function runCommandScript(params: { command: string; summary: string }): ScriptStep[] {
  return [
    { toolCalls: [{ name: "bash", arguments: { command: params.command } }] },
    { reply: params.summary },
  ];
}
