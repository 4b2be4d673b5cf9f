import { randomBytes } from "node:crypto";
import { chmod, mkdir, rm, stat, writeFile } from "node:fs/promises";
import type { ServerResponse } from "node:http";
import path from "node:path";
import type { Logger } from "pino";
import { ConnectRpcError } from "./connect-rpc-error.js";
import { findInitProcesses } from "./find-init-processes.js";
import { findSandboxProcesses } from "./find-sandbox-processes.js";
import { freezeProcesses } from "./freeze-processes.js";
import { killMarkedProcesses } from "./kill-marked-processes.js";
import type { SandboxTemplate } from "./prepare-sandbox-template.js";
import { resolveSandboxPath } from "./resolve-sandbox-path.js";
import type { SandboxSpawnTarget } from "./sandbox-spawn-target.js";
import { sandboxUser } from "./sandbox-user.js";
import { spawnInSandbox } from "./spawn-in-sandbox.js";
import { type SandboxInit, startSandboxInit } from "./start-sandbox-init.js";
import { type SandboxProcess, startSandboxProcess } from "./start-sandbox-process.js";
import { startSandboxPty } from "./start-sandbox-pty.js";

/** What `process.Process/Start` asks for, parsed. */
interface StartProcessRequest {
  cmd: string;
  args: string[];
  envs: Record<string, string>;
  cwd: string | undefined;
  tag: string | undefined;
  stdin: boolean;
  /** Run on a pseudo-terminal of this size (`sandbox.pty`), not on pipes. */
  pty?: { cols: number; rows: number } | undefined;
}

/** One running local sandbox: a directory, its processes and its lifetime. */
export interface LocalSandbox {
  readonly id: string;
  readonly templateId: string;
  readonly metadata: Readonly<Record<string, string>>;
  readonly envVars: Readonly<Record<string, string>>;
  readonly startedAt: Date;
  /** When the timeout kills it; moved by `setTimeout`. */
  readonly endAt: Date;
  readonly envdAccessToken: string;
  /** Set when the sandbox was created with `network.allowPublicTraffic: false`. */
  readonly trafficAccessToken: string | undefined;
  /**
   * Where the server finds the sandbox's `/`: its host directory, or under bwrap the
   * init's view of it (`/proc/<pid>/root`, which includes the home's tmpfs).
   */
  readonly dir: string;
  readonly alive: boolean;
  /** Paused (`pause`): its processes stopped, its timeout not counting, unreachable for clients. */
  readonly paused: boolean;
  /** Running commands by pid. */
  readonly processes: ReadonlyMap<number, SandboxProcess>;
  startProcess(request: StartProcessRequest): Promise<SandboxProcess>;
  /** Restarts the countdown: the sandbox is killed `timeoutMs` from now. */
  setTimeout(timeoutMs: number): void;
  /** Cuts `res` when the sandbox goes, as a vanishing VM cuts its connections. */
  track(res: ServerResponse): void;
  /** Kills every process, forgets the sandbox and deletes its directory. */
  kill(reason: string): Promise<void>;
  /**
   * Pauses, as E2B snapshots a VM away: connections are cut, every process of the
   * sandbox is stopped (SIGSTOP) where it is, or with `keepMemory: false` killed (a
   * filesystem-only pause), and the timeout stops counting. Files stay.
   */
  pause(options?: { keepMemory?: boolean | undefined }): Promise<void>;
  /** Lets a paused sandbox's processes continue (SIGCONT); it then lives `timeoutMs` more. */
  resume(timeoutMs: number): Promise<void>;
  /**
   * Runs `work` with every process stopped, then lets them continue, as E2B
   * checkpoints a VM in place (snapshot, fork): connections stay open and the
   * timeout keeps counting.
   */
  whileFrozen<T>(work: () => Promise<T>): Promise<T>;
}

const processExitWaitMs = 5_000;

/**
 * Creates a sandbox: its directory (`home/user` with a `.profile` that puts the
 * template's tools on PATH, and `tmp`), under bwrap its init, and its timeout. Every
 * command gets a clean environment: envd's PATH/HOME/USER/LOGNAME, the `E2B_*`
 * variables E2B sets, the sandbox's env vars, then the command's own.
 */
export async function createLocalSandbox(params: {
  id: string;
  templateId: string;
  metadata: Record<string, string>;
  envVars: Record<string, string>;
  timeoutMs: number;
  allowPublicTraffic: boolean;
  dir: string;
  template: SandboxTemplate;
  log: Logger;
  /**
   * Called once, as the sandbox starts dying (from then on it is gone for clients),
   * with the promise that settles when its processes and directory are gone.
   */
  onGone: (sandbox: LocalSandbox, death: Promise<void>) => void;
  /** What the timeout does (E2B's `lifecycle.onTimeout`). Default: kill. */
  onTimeout?: { action: "kill" } | { action: "pause"; keepMemory: boolean } | undefined;
}): Promise<LocalSandbox> {
  const { id, dir, template, log } = params;
  const hostHome = path.join(dir, sandboxUser.home);
  await mkdir(hostHome, { recursive: true });
  await mkdir(path.join(dir, "tmp"), { recursive: true });
  await chmod(path.join(dir, "tmp"), 0o1777);
  let init: SandboxInit | undefined;
  let target: SandboxSpawnTarget = { isolation: "none" };
  // Where the server reads and writes the sandbox's files: under bwrap, through the
  // init's view of its mounts (the home is a tmpfs only the sandbox's namespace has).
  let root = dir;
  if (template.isolation === "bwrap") {
    if (template.toolsPath) {
      // bwrap would create the mountpoint's parents itself, but as mode 0700.
      await mkdir(path.join(dir, template.toolsPath), { recursive: true, mode: 0o755 });
    }
    init = await startSandboxInit(template, dir);
    target = { isolation: "bwrap", namespacePid: init.namespacePid };
    root = `/proc/${init.namespacePid}/root`;
  }
  await writeFile(
    path.join(root, sandboxUser.home, ".profile"),
    `# Login shells (bash -l) read this: the template's tools are on PATH.\nexport PATH="${template.searchPath}"\n`,
  );

  const baseEnv: Record<string, string> = {
    PATH: template.searchPath,
    HOME: template.isolation === "bwrap" ? sandboxUser.home : hostHome,
    USER: sandboxUser.name,
    LOGNAME: sandboxUser.name,
    LANG: "C.UTF-8",
    E2B_SANDBOX: "true",
    E2B_SANDBOX_ID: id,
    E2B_TEMPLATE_ID: params.templateId,
    // Without isolation `/tmp` is the host's: temporary files (`mktemp`) go to the
    // sandbox's own, where the files API finds them again.
    ...(template.isolation === "none" ? { TMPDIR: path.join(dir, "tmp") } : {}),
  };
  const processes = new Map<number, SandboxProcess>();
  const tracked = new Set<ServerResponse>();
  let alive = true;
  let endAt = new Date(Date.now() + params.timeoutMs);
  let timer: NodeJS.Timeout | undefined;
  let paused = false;
  // Pids stopped by a pause, continued by resume; pause and resume run one at a time.
  let frozen: number[] = [];
  let transition: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(step: () => Promise<T>): Promise<T> => {
    const done = transition.then(step);
    transition = done.catch(() => {});
    return done;
  };
  const findProcesses = () =>
    findSandboxProcesses({
      namespacePid: init?.namespacePid,
      sandboxId: id,
      groups: [...processes.keys()],
    });
  const thaw = (pids: number[]) => {
    // nsenter stops itself when its child is stopped, and continues that child when
    // continued: its whole process group gets SIGCONT too.
    const groups = [...processes.keys()].map((pid) => -pid);
    for (const pid of [...pids, ...groups]) {
      try {
        process.kill(pid, "SIGCONT");
      } catch {}
    }
  };
  let dying: Promise<void> | undefined;

  const sandbox: LocalSandbox = {
    id,
    templateId: params.templateId,
    metadata: { ...params.metadata },
    envVars: { ...params.envVars },
    startedAt: new Date(),
    get endAt() {
      return endAt;
    },
    envdAccessToken: randomBytes(24).toString("hex"),
    trafficAccessToken: params.allowPublicTraffic ? undefined : randomBytes(24).toString("hex"),
    dir: root,
    get alive() {
      return alive;
    },
    get paused() {
      return paused;
    },
    processes,

    async startProcess(request) {
      if (!alive || paused) {
        throw new ConnectRpcError("unavailable", `sandbox ${id} is not running`);
      }
      const cwd = await resolveSandboxPath(root, request.cwd ?? sandboxUser.home);
      const cwdInfo = await stat(cwd.hostPath).catch(() => undefined);
      if (!cwdInfo?.isDirectory()) {
        throw new ConnectRpcError("invalid_argument", `cwd '${cwd.sandboxPath}' does not exist`);
      }
      const command = {
        cmd: request.cmd,
        args: request.args,
        env: { ...baseEnv, ...params.envVars, ...request.envs },
        hostCwd: cwd.hostPath,
        stdin: request.stdin,
      };
      const config = {
        cmd: request.cmd,
        args: request.args,
        envs: request.envs,
        ...(request.cwd === undefined ? {} : { cwd: request.cwd }),
      };
      const proc = request.pty
        ? await startSandboxPty(target, { ...command, size: request.pty }, config, request.tag)
        : await startSandboxProcess(spawnInSandbox(target, command), config, request.tag);
      processes.set(proc.pid, proc);
      void proc.ended.then(() => processes.delete(proc.pid));
      // Killed while this one was starting: it must not outlive the sandbox.
      if (!alive) proc.signal("SIGKILL");
      log.debug({ sandboxId: id, pid: proc.pid, args: request.args }, "sandbox process started");
      return proc;
    },

    setTimeout(timeoutMs) {
      clearTimeout(timer);
      endAt = new Date(Date.now() + timeoutMs);
      const onTimeout = params.onTimeout ?? { action: "kill" };
      timer = setTimeout(() => {
        if (onTimeout.action === "pause") void sandbox.pause(onTimeout);
        else void sandbox.kill("its timeout expired");
      }, timeoutMs);
      timer.unref();
    },

    track(res) {
      tracked.add(res);
      res.once("close", () => tracked.delete(res));
    },

    kill(reason) {
      if (!dying) {
        dying = die(reason);
        params.onGone(sandbox, dying);
      }
      return dying;
    },

    pause(options = {}) {
      return inTurn(async () => {
        if (!alive || paused) return;
        paused = true;
        clearTimeout(timer);
        for (const res of tracked) res.destroy();
        if (options.keepMemory !== false) {
          frozen = await freezeProcesses(findProcesses);
          log.debug({ sandboxId: id, frozen: frozen.length }, "sandbox paused");
          return;
        }
        // Filesystem-only: what ran is lost, as on a cold boot; the init (and with it
        // the home's tmpfs) stays.
        const running = [...processes.values()];
        const spared = init ? await findInitProcesses(init.namespacePid) : [];
        for (const pid of await findProcesses()) {
          if (spared.includes(pid)) continue;
          try {
            process.kill(pid, "SIGKILL");
          } catch {}
        }
        for (const proc of running) proc.signal("SIGKILL");
        await waitAtMost(Promise.all(running.map((proc) => proc.ended)), processExitWaitMs);
        log.debug({ sandboxId: id }, "sandbox paused without its memory");
      });
    },

    resume(timeoutMs) {
      return inTurn(async () => {
        if (!alive || !paused) return;
        thaw(frozen.splice(0));
        paused = false;
        sandbox.setTimeout(timeoutMs);
        log.debug({ sandboxId: id }, "sandbox resumed");
      });
    },

    whileFrozen(work) {
      return inTurn(async () => {
        if (paused) return work();
        const stopped = await freezeProcesses(findProcesses);
        try {
          return await work();
        } finally {
          thaw(stopped);
        }
      });
    },
  };

  async function die(reason: string): Promise<void> {
    alive = false;
    clearTimeout(timer);
    log.debug({ sandboxId: id, reason }, "sandbox killed");
    for (const res of tracked) res.destroy();
    const running = [...processes.values()];
    for (const proc of running) proc.signal("SIGKILL");
    init?.kill();
    if (!init) await killMarkedProcesses("E2B_SANDBOX_ID", id);
    const gone = Promise.all([...running.map((proc) => proc.ended), init?.exited]);
    let giveUp: NodeJS.Timeout | undefined;
    await Promise.race([
      gone,
      new Promise((resolve) => (giveUp = setTimeout(resolve, processExitWaitMs))),
    ]);
    clearTimeout(giveUp);
    await rm(dir, { recursive: true, force: true, maxRetries: 3 });
  }

  sandbox.setTimeout(params.timeoutMs);
  void init?.exited.then(() => {
    if (alive) void sandbox.kill("its init exited");
  });
  return sandbox;
}

function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let giveUp: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.then(() => {}),
    new Promise<void>((resolve) => (giveUp = setTimeout(resolve, ms))),
  ]).finally(() => clearTimeout(giveUp));
}
