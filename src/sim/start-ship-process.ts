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

/** Spawns `node --import tsx src/main.ts` (the `npm start` command) with exactly `env`. */
export function startShipProcess(env: Record<string, string>): ShipProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: root,
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
        if (entry.msg === "Ship is running") onReady(Number(entry.port));
        // Setup mode (no app yet) is Probot's own server, which says where it listens.
        const listening = /^Listening on http:\/\/.+:(\d+)$/.exec(String(entry.msg));
        if (listening) onReady(Number(listening[1]));
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
