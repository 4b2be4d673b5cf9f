import { spawn } from "node:child_process";
import { bwrapInitArguments } from "./bwrap-init-arguments.js";
import type { SandboxTemplate } from "./prepare-sandbox-template.js";

/** A running bwrap sandbox init. */
export interface SandboxInit {
  /** Host pid of the init of the sandbox's namespaces: what nsenter joins. */
  readonly namespacePid: number;
  /** Settles when bwrap has exited, i.e. every process of the sandbox is gone. */
  readonly exited: Promise<void>;
  /** SIGKILLs the namespace's init: every process of the sandbox dies with it, and bwrap exits. */
  kill(): void;
}

const startTimeoutMs = 10_000;

/**
 * Starts the sandbox's init under bwrap and waits until it runs: bwrap has reported
 * the init's pid (fd 3) and the init has printed `ready`. Waiting for the latter
 * matters: joining the user namespace before bwrap has finished setting it up fails
 * (`setgid failed`).
 */
export function startSandboxInit(
  template: SandboxTemplate,
  sandboxDir: string,
): Promise<SandboxInit> {
  const child = spawn("bwrap", bwrapInitArguments(template, sandboxDir), {
    stdio: ["ignore", "pipe", "pipe", "pipe"],
    detached: true,
    env: {},
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, "SIGKILL");
    } catch {}
  };
  let namespacePid: number | undefined;
  const kill = () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    // The namespace's init first: bwrap then reaps it and exits by itself. Killing bwrap
    // first would orphan that init to the machine's pid 1, which may never reap it.
    // While bwrap lives its child's pid cannot have been reused.
    try {
      if (namespacePid !== undefined) process.kill(namespacePid, "SIGKILL");
    } catch {}
    const fallback = setTimeout(killGroup, 1_000);
    fallback.unref();
    void exited.then(() => clearTimeout(fallback));
    if (namespacePid === undefined) killGroup();
  };

  return new Promise((resolve, reject) => {
    let info = "";
    let stderr = "";
    let ready = false;
    let timer: NodeJS.Timeout | undefined;
    const fail = (error: Error) => {
      clearTimeout(timer);
      kill();
      reject(error);
    };
    timer = setTimeout(
      () => fail(new Error("bwrap did not start the sandbox in time")),
      startTimeoutMs,
    );
    const settleIfUp = () => {
      if (namespacePid === undefined || !ready) return;
      clearTimeout(timer);
      child.stdout?.removeAllListeners("data");
      child.stdout?.resume();
      resolve({ namespacePid, exited, kill });
    };
    // `on`, not `once`: a later error (a failed kill) must not go unhandled.
    child.on("error", (error) => fail(error));
    child.once("exit", (code, signal) => {
      if (!ready)
        fail(
          new Error(
            `bwrap exited (${signal ?? code}) before the sandbox started: ${stderr.trim()}`,
          ),
        );
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const infoFd = child.stdio[3];
    infoFd?.on("data", (chunk: Buffer) => {
      info += chunk.toString();
      try {
        const parsed = JSON.parse(info) as { "child-pid"?: number };
        namespacePid = parsed["child-pid"];
        settleIfUp();
      } catch {
        // The JSON arrives in pieces; wait for the rest.
      }
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("ready")) {
        ready = true;
        settleIfUp();
      }
    });
  });
}
