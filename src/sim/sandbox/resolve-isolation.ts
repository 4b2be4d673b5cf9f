import { execFile } from "node:child_process";
import { promisify } from "node:util";

/** How sandbox processes are confined: see `startSandboxServer`'s `isolation` option. */
export type IsolationMode = "bwrap" | "none";

const run = promisify(execFile);

/**
 * Decides the isolation mode. `auto` takes bwrap when it works here (a user namespace
 * with a private pid namespace, and nsenter to join it), else none; asking for `bwrap`
 * where it does not work is an error, so a test that relies on it never silently
 * runs unconfined.
 */
export async function resolveIsolation(requested: "auto" | IsolationMode): Promise<IsolationMode> {
  if (requested === "none") return "none";
  const problem = await bwrapProblem();
  if (problem === undefined) return "bwrap";
  if (requested === "bwrap") {
    throw new Error(`isolation "bwrap" was asked for but is not available here: ${problem}`);
  }
  return "none";
}

async function bwrapProblem(): Promise<string | undefined> {
  try {
    await run(
      "bwrap",
      [
        "--unshare-user",
        "--uid",
        "1000",
        "--gid",
        "1000",
        "--unshare-pid",
        "--unshare-ipc",
        "--unshare-uts",
        "--die-with-parent",
        "--ro-bind",
        "/",
        "/",
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--",
        "true",
      ],
      { timeout: 10_000, env: {} },
    );
  } catch (error) {
    return `bwrap failed (${describe(error)})`;
  }
  try {
    await run("nsenter", ["--version"], { timeout: 10_000, env: {} });
  } catch (error) {
    return `nsenter (util-linux) failed (${describe(error)})`;
  }
  return undefined;
}

function describe(error: unknown): string {
  const { code, stderr, message } = error as { code?: string; stderr?: string; message?: string };
  if (code === "ENOENT") return "not installed";
  return (stderr?.trim() || message || String(error)).split("\n")[0] ?? "unknown error";
}
