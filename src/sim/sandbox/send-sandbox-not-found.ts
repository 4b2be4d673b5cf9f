import type { ServerResponse } from "node:http";

/**
 * E2B's edge answer to any request (envd or a port) for a sandbox that is not
 * running: killed, expired, never existed, or paused without auto-resume (no VM runs
 * it). The SDK reads the 502 as "not running" (`isRunning()` false, a `TimeoutError`
 * elsewhere); E2B's own tests check this exact body.
 */
export function sendSandboxNotFound(res: ServerResponse, sandboxId: string): void {
  res
    .writeHead(502, { "content-type": "application/json; charset=utf-8" })
    .end(JSON.stringify({ message: "The sandbox was not found", sandboxId, code: 502 }));
}
