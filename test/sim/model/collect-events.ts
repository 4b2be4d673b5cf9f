import type { Event, OpencodeClient } from "@opencode-ai/sdk/v2";

/** Every event of one OpenCode instance (directory) since subscribing. */
export interface EventLog {
  events: Event[];
  /**
   * The first matching event at position `since` or later (default 0), already seen or
   * still to come; rejects after `timeoutMs` (default 20 s).
   */
  waitFor(
    predicate: (event: Event) => boolean,
    options?: { since?: number; timeoutMs?: number },
  ): Promise<Event>;
  close(): void;
}

/**
 * Subscribes to the client's event stream and resolves once OpenCode confirms the
 * subscription (`server.connected`), so nothing a test triggers afterwards is missed.
 * The SDK's stream is lazy and reconnects forever: `close()` must be called before
 * OpenCode stops.
 */
export async function collectEvents(client: OpencodeClient): Promise<EventLog> {
  const controller = new AbortController();
  const events: Event[] = [];
  const waiters = new Set<{ predicate: (event: Event) => boolean; resolve: (e: Event) => void }>();
  const { stream } = await client.event.subscribe(undefined, { signal: controller.signal });

  void (async () => {
    try {
      for await (const event of stream) {
        events.push(event);
        for (const waiter of waiters) {
          if (waiter.predicate(event)) {
            waiters.delete(waiter);
            waiter.resolve(event);
          }
        }
      }
    } catch {
      // Aborted by close().
    }
  })();

  const log: EventLog = {
    events,
    waitFor(predicate, { since = 0, timeoutMs = 20_000 } = {}) {
      const found = events.slice(since).find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = {
          predicate,
          resolve: (event: Event) => {
            clearTimeout(timer);
            resolve(event);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          const seen = [...new Set(events.map((event) => event.type))].join(", ");
          reject(new Error(`No matching OpenCode event within ${timeoutMs} ms; seen: ${seen}`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close: () => controller.abort(),
  };
  await log.waitFor((event) => event.type === "server.connected", { timeoutMs: 10_000 });
  return log;
}
