import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

/** A Ship process started the way `npm start` starts it, with its JSON log lines. */
export interface ShipProcess {
  child: ChildProcess;
  logs: Array<Record<string, unknown>>;
  stderr: () => string;
  /** Resolves with the port once the process logs "Ship is running". */
  ready: Promise<number>;
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Spawns `node --import tsx src/main.ts` (the `npm start` command) with exactly `env`,
 * in `cwd` (the repository by default; where `.env` and app.yml are looked for).
 */
export function startShipProcess(
  env: Record<string, string>,
  options: { cwd?: string } = {},
): ShipProcess {
  const tsx = import.meta.resolve("tsx");
  const child = spawn(process.execPath, ["--import", tsx, path.join(root, "src/main.ts")], {
    cwd: options.cwd ?? root,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "/tmp",
      LOG_FORMAT: "json",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: Array<Record<string, unknown>> = [];
  let stderr = "";
  let onReady: (port: number) => void = () => {};
  const ready = new Promise<number>((resolve, reject) => {
    onReady = resolve;
    child.once("exit", (code) =>
      reject(new Error(`Ship exited (${code}) before it was ready: ${stderr}`)),
    );
  });
  ready.catch(() => {});
  let buffered = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split("\n");
    buffered = lines.pop() ?? "";
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        const entry = JSON.parse(line) as Record<string, unknown>;
        logs.push(entry);
        // Running, or in setup mode (no app yet): both say where they listen.
        if (entry.msg === "Ship is running" || entry.registerUrl) onReady(Number(entry.port));
      } catch {
        logs.push({ msg: line });
      }
    }
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  return { child, logs, stderr: () => stderr, ready, exited };
}
