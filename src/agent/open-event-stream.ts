import type { Event, OpencodeClient } from "@opencode-ai/sdk/v2/client";

/**
 * Events held for a reader that is behind. Past this, the stream is no longer read until
 * the reader catches up: OpenCode (or whatever answers in the sandbox) decides how fast
 * events come, and an unread queue would grow without end.
 */
export const maxQueuedEvents = 1_000;

/** One connection to OpenCode's event stream, read one event at a time. */
export interface EventStream {
  /**
   * The next event, waiting for it if need be; undefined once the connection is over:
   * closed by `close()`, cut, or silent for longer than the silence limit.
   */
  next(): Promise<Event | undefined>;
  /** Ends the connection. Idempotent. */
  close(): void;
}

/**
 * Connects to OpenCode's event stream (`GET /event`) and resolves once OpenCode
 * confirms the subscription with `server.connected`, so nothing done afterwards is
 * missed. Unlike the SDK's own stream this never reconnects by itself (the SDK's
 * retries forever, and events sent while it is away are lost without notice): the
 * caller decides what a lost connection means. OpenCode sends `server.heartbeat`
 * every 10 s, so silence for `silenceMs` (default 30 s) means the connection is dead
 * even if no socket noticed (a proxy holding a half-open connection). `signal` ends
 * the connection (and a wait for it) when it aborts.
 */
export async function openEventStream(
  client: OpencodeClient,
  options: {
    connectTimeoutMs?: number;
    silenceMs?: number;
    signal?: AbortSignal | undefined;
    /** The OpenCode instance's directory; default OpenCode's own working directory. */
    directory?: string;
  } = {},
): Promise<EventStream> {
  const { connectTimeoutMs = 10_000, silenceMs = 30_000, signal, directory } = options;
  const controller = new AbortController();
  const queue: Event[] = [];
  let waiter: ((event: Event | undefined) => void) | undefined;
  /** Resumes reading the connection once the reader took an event from a full queue. */
  let room: (() => void) | undefined;
  let ended = false;
  let silence: NodeJS.Timeout | undefined;

  const end = () => {
    if (ended) return;
    ended = true;
    clearTimeout(silence);
    signal?.removeEventListener("abort", end);
    controller.abort();
    waiter?.(undefined);
    waiter = undefined;
    room?.();
  };
  if (signal?.aborted) throw new Error("Aborted before connecting to OpenCode's event stream");
  signal?.addEventListener("abort", end, { once: true });
  const watch = (ms: number) => {
    clearTimeout(silence);
    silence = setTimeout(end, ms);
  };

  let connected: () => void = () => {};
  const confirmed = new Promise<void>((resolve) => {
    connected = resolve;
  });
  let failure: unknown;
  const { stream } = await client.event.subscribe(
    directory === undefined ? undefined : { directory },
    {
      signal: controller.signal,
      // One attempt: on any failure the stream ends instead of retrying in the dark.
      sseMaxRetryAttempts: 1,
      onSseError: (error) => {
        failure = error;
      },
    },
  );
  watch(connectTimeoutMs);
  const pumped = (async () => {
    try {
      for await (const event of stream) {
        if (ended) break;
        watch(silenceMs);
        if (event.type === "server.connected") {
          connected();
          continue;
        }
        if (waiter) {
          waiter(event);
          waiter = undefined;
        } else {
          queue.push(event);
          if (queue.length >= maxQueuedEvents) {
            // The reader is slow, not the connection: no silence limit while paused.
            clearTimeout(silence);
            await new Promise<void>((resolve) => {
              room = resolve;
            });
            room = undefined;
            if (ended) break;
            watch(silenceMs);
          }
        }
      }
    } catch {
      // A cut connection: reported to the reader as the end of the stream.
    } finally {
      end();
    }
  })();

  const started = await Promise.race([confirmed.then(() => true), pumped.then(() => false)]);
  if (!started) {
    const why = failure instanceof Error ? `: ${failure.message}` : "";
    throw new Error(`OpenCode's event stream ended before confirming the subscription${why}`);
  }

  return {
    next() {
      const event = queue.shift();
      room?.();
      if (event || ended) return Promise.resolve(event);
      return new Promise((resolve) => {
        waiter = resolve;
      });
    },
    close: end,
  };
}
