import { z } from "zod";
import { ConnectRpcError } from "./connect-rpc-error.js";
import type { LocalSandbox } from "./create-local-sandbox.js";
import type { EnvdService } from "./envd-service.js";
import type { ConnectStream } from "./serve-connect-stream.js";
import type { SandboxProcess } from "./start-sandbox-process.js";

const selectorSchema = z.object({
  pid: z.number().int().nonnegative().optional(),
  tag: z.string().optional(),
});

/** proto3 JSON leaves out zero values, so a size may come without `cols` or `rows`. */
const ptySchema = z.object({
  size: z
    .object({
      cols: z.number().int().nonnegative().default(0),
      rows: z.number().int().nonnegative().default(0),
    })
    .default({ cols: 0, rows: 0 }),
});

const startSchema = z.object({
  process: z.object({
    cmd: z.string().min(1),
    args: z.array(z.string()).optional(),
    envs: z.record(z.string(), z.string()).optional(),
    cwd: z.string().optional(),
  }),
  pty: ptySchema.optional(),
  tag: z.string().optional(),
  stdin: z.boolean().optional(),
});

const withSelectorSchema = z.object({ process: selectorSchema });

const sendInputSchema = z.object({
  process: selectorSchema,
  input: z.object({ stdin: z.base64().optional(), pty: z.base64().optional() }),
});

const updateSchema = z.object({ process: selectorSchema, pty: ptySchema.optional() });

const sendSignalSchema = z.object({
  process: selectorSchema,
  // Connect's JSON names enum values; numbers are valid proto3 JSON too.
  signal: z.union([z.enum(["SIGNAL_UNSPECIFIED", "SIGNAL_SIGTERM", "SIGNAL_SIGKILL"]), z.number()]),
});

/**
 * envd's `process.Process` service: commands as real local processes, on a
 * pseudo-terminal when started with `pty` (how `sandbox.pty` runs its shell). As in
 * envd, a started command (a PTY too) is killed when the call's deadline (the SDK's `timeoutMs`, 60 s by
 * default) passes, but not when the client merely disconnects.
 */
export const processRpc: EnvdService = {
  unary: {
    List(_message, sandbox) {
      return {
        processes: [...sandbox.processes.values()].map((proc) => ({
          config: proc.config,
          pid: proc.pid,
          ...(proc.tag === undefined ? {} : { tag: proc.tag }),
        })),
      };
    },
    SendInput(message, sandbox) {
      const { process: selector, input } = sendInputSchema.parse(message);
      const proc = findProcess(sandbox, selector);
      if (input.pty !== undefined) proc.writePty(Buffer.from(input.pty, "base64"));
      else proc.writeStdin(Buffer.from(input.stdin ?? "", "base64"));
      return {};
    },
    SendSignal(message, sandbox) {
      const request = sendSignalSchema.parse(message);
      const proc = findProcess(sandbox, request.process);
      const { signal } = request;
      if (signal === "SIGNAL_SIGKILL" || signal === 9) proc.signal("SIGKILL");
      else if (signal === "SIGNAL_SIGTERM" || signal === 15) proc.signal("SIGTERM");
      else throw new ConnectRpcError("invalid_argument", `unsupported signal ${signal}`);
      return {};
    },
    CloseStdin(message, sandbox) {
      findProcess(sandbox, withSelectorSchema.parse(message).process).closeStdin();
      return {};
    },
    Update(message, sandbox) {
      const request = updateSchema.parse(message);
      const proc = findProcess(sandbox, request.process);
      if (request.pty) proc.resize(request.pty.size);
      return {};
    },
  },
  stream: {
    async Start(message, stream, sandbox) {
      const request = startSchema.parse(message);
      const proc = await sandbox.startProcess({
        cmd: request.process.cmd,
        args: request.process.args ?? [],
        envs: request.process.envs ?? {},
        cwd: request.process.cwd,
        tag: request.tag,
        // envd opens stdin unless told not to; the SDK says `false` unless asked.
        stdin: request.stdin ?? true,
        pty: request.pty?.size,
      });
      stream.deadline.addEventListener("abort", () => proc.signal("SIGKILL"), { once: true });
      await forwardEvents(proc, stream);
    },
    async Connect(message, stream, sandbox) {
      await forwardEvents(findProcess(sandbox, withSelectorSchema.parse(message).process), stream);
    },
  },
};

function findProcess(
  sandbox: LocalSandbox,
  selector: z.infer<typeof selectorSchema>,
): SandboxProcess {
  const found =
    selector.pid !== undefined
      ? sandbox.processes.get(selector.pid)
      : [...sandbox.processes.values()].find(
          (proc) => proc.tag !== undefined && proc.tag === selector.tag,
        );
  if (!found) {
    const which =
      selector.pid !== undefined ? `pid ${selector.pid}` : `tag ${selector.tag ?? "(none)"}`;
    throw new ConnectRpcError("not_found", `process with ${which} not found`);
  }
  return found;
}

/**
 * Streams a process's events until it ends or the stream does, with keepalive events
 * at the interval the client asked for (`Keepalive-Ping-Interval`, seconds) while the
 * process is quiet, as envd does, so idle streams survive proxies.
 */
function forwardEvents(proc: SandboxProcess, stream: ConnectStream): Promise<void> {
  const intervalMs = Number(stream.headers["keepalive-ping-interval"]) * 1000;
  let keepalive: NodeJS.Timeout | undefined;
  const scheduleKeepalive = () => {
    if (!(intervalMs > 0)) return;
    clearTimeout(keepalive);
    keepalive = setTimeout(() => {
      stream.send({ event: { keepalive: {} } });
      scheduleKeepalive();
    }, intervalMs);
    keepalive.unref();
  };
  return new Promise((resolve) => {
    let unsubscribe: (() => void) | undefined;
    const finish = () => {
      clearTimeout(keepalive);
      unsubscribe?.();
      resolve();
    };
    if (stream.signal.aborted) return finish();
    stream.signal.addEventListener("abort", finish, { once: true });
    unsubscribe = proc.subscribe((event) => {
      stream.send({ event });
      if ("end" in event) stream.end();
      else scheduleKeepalive();
    });
    if (stream.signal.aborted) finish();
  });
}
