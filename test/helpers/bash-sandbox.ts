import { spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { CommandExitError, type Sandbox } from "e2b";

/**
 * The part of an e2b sandbox that Ship's git and command code uses (`commands.run`,
 * foreground or background, and `files.read`), backed by `bash -c` on this machine, as
 * the security review probed it. Like the SDK it keeps a command's whole output, so a
 * test can see whether Ship stops a command that prints without end. `started` counts
 * the commands run.
 */
export function bashSandbox(
  env: Record<string, string> = {},
): Pick<Sandbox, "commands" | "files"> & { started: string[] } {
  const started: string[] = [];
  const run = async (
    command: string,
    options: {
      background?: boolean;
      cwd?: string;
      envs?: Record<string, string>;
      onStdout?: (data: string) => void;
      onStderr?: (data: string) => void;
    } = {},
  ) => {
    started.push(command);
    const child = spawn("bash", ["-c", command], {
      cwd: options.cwd,
      env: { ...process.env, ...env, ...options.envs },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (data: string) => {
      stdout += data;
      options.onStdout?.(data);
    });
    child.stderr.setEncoding("utf8").on("data", (data: string) => {
      stderr += data;
      options.onStderr?.(data);
    });
    const done = new Promise<{ exitCode: number; stdout: string; stderr: string }>(
      (resolve, reject) => {
        child.on("close", (code) => {
          const result = { exitCode: code ?? -1, stdout, stderr };
          if (code === 0) resolve(result);
          else reject(new CommandExitError(result));
        });
      },
    );
    const handle = {
      wait: () => done,
      kill: async () => child.kill("SIGKILL"),
      get stdout() {
        return stdout;
      },
    };
    return options.background ? handle : done;
  };
  return {
    started,
    commands: { run } as unknown as Sandbox["commands"],
    files: {
      read: async (path: string, options?: { format?: string }) => {
        if (options?.format !== "stream") throw new Error("only streams are read here");
        return Readable.toWeb(createReadStream(path));
      },
    } as unknown as Sandbox["files"],
  };
}
