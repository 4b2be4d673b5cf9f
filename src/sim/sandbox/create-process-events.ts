/** envd's `process.ProcessEvent.EndEvent` in proto3 JSON form. */
export interface ProcessEndJson {
  exitCode?: number;
  exited?: boolean;
  status: string;
  error?: string;
}

/** envd's `process.ProcessEvent` in proto3 JSON form (bytes as base64). */
export type ProcessEventJson =
  | { start: { pid: number } }
  | { data: { stdout: string } | { stderr: string } | { pty: string } }
  | { end: ProcessEndJson }
  | { keepalive: Record<string, never> };

/**
 * The event fan-out of one process, as envd keeps it: every subscriber gets the start
 * event at once, then output and the end event as they happen. Output from before the
 * first subscriber is kept for it (the Start call subscribes only after the spawn), a
 * later subscriber (Connect) sees only what comes after it, and one that comes after
 * the end gets the end event.
 */
export function createProcessEvents(): {
  emit(event: ProcessEventJson): void;
  /** Sends the end event and settles `ended`; later events are dropped. */
  end(end: ProcessEndJson): void;
  subscribe(pid: number, listener: (event: ProcessEventJson) => void): () => void;
  readonly ended: Promise<void>;
} {
  const listeners = new Set<(event: ProcessEventJson) => void>();
  const backlog: ProcessEventJson[] = [];
  let subscribed = false;
  let finalEvent: ProcessEventJson | undefined;
  let endedResolve: () => void = () => {};
  const ended = new Promise<void>((resolve) => {
    endedResolve = resolve;
  });
  const emit = (event: ProcessEventJson) => {
    if (finalEvent) return;
    if (!subscribed) backlog.push(event);
    for (const listener of listeners) listener(event);
  };
  return {
    emit,
    ended,
    end(end) {
      emit({ end });
      finalEvent = { end };
      listeners.clear();
      endedResolve();
    },
    subscribe(pid, listener) {
      listener({ start: { pid } });
      if (!subscribed) {
        subscribed = true;
        for (const event of backlog.splice(0)) listener(event);
      } else if (finalEvent) {
        listener(finalEvent);
      }
      if (finalEvent) return () => {};
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
