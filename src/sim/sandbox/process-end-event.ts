import type { ProcessEndJson } from "./create-process-events.js";

/** Go's `Signal.String()` for the signals commands usually die of. */
const goSignalNames: Partial<Record<NodeJS.Signals, string>> = {
  SIGKILL: "killed",
  SIGTERM: "terminated",
  SIGINT: "interrupt",
  SIGHUP: "hangup",
  SIGQUIT: "quit",
  SIGABRT: "aborted",
  SIGSEGV: "segmentation fault",
  SIGPIPE: "broken pipe",
  SIGALRM: "alarm clock",
  SIGUSR1: "user defined signal 1",
  SIGUSR2: "user defined signal 2",
};

/**
 * The end event envd sends for a process that exited with `code` or died of `signal`:
 * Go's `ProcessState.String()` as the status (`exit status N`, `signal: killed`), the
 * same text as the error unless the exit was clean, and -1 as the exit code of a
 * process killed by a signal.
 */
export function processEndEvent(
  code: number | null,
  signal: NodeJS.Signals | null,
): ProcessEndJson {
  if (signal !== null) {
    const status = `signal: ${goSignalNames[signal] ?? signal}`;
    return { exitCode: -1, status, error: status };
  }
  const exitCode = code ?? 0;
  const status = `exit status ${exitCode}`;
  return exitCode === 0
    ? { exitCode, exited: true, status }
    : { exitCode, exited: true, status, error: status };
}
