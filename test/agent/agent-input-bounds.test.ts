import { describe, expect, it } from "@jest/globals";
import type { Event, OpencodeClient } from "@opencode-ai/sdk/v2/client";
import { createAgentLog, maxLogEntries } from "../../src/agent/create-agent-log.js";
import { maxQueuedEvents, openEventStream } from "../../src/agent/open-event-stream.js";

/** A tool call as a fake OpenCode server could invent without end: a new call id each time. */
function inventedCall(index: number): Event {
  return {
    id: `evt_${index}`,
    type: "message.part.updated",
    properties: {
      sessionID: "ses_1",
      time: index,
      part: {
        id: `prt_${index}`,
        sessionID: "ses_1",
        messageID: "msg_1",
        type: "tool",
        callID: `call_${index}`,
        tool: "bash",
        state: { status: "running", input: { command: `echo ${index}` }, time: { start: 1 } },
      },
    },
  } as Event;
}

describe("the agent log of a session", () => {
  it(`stores ${maxLogEntries} entries, then one "log truncated" entry, and counts the rest`, () => {
    const log = createAgentLog("/home/user/repo");
    const stored = [];
    for (let i = 0; i < maxLogEntries + 2_500; i++) {
      const entry = log(inventedCall(i));
      if (entry) stored.push(entry);
    }
    expect(stored).toHaveLength(maxLogEntries + 1);
    expect(stored.slice(0, maxLogEntries).every((entry) => entry.kind === "agent.tool")).toBe(true);
    expect(stored.at(-1)).toEqual({
      kind: "agent.truncated",
      data: { limit: maxLogEntries, text: expect.stringContaining("Log truncated") },
    });
    expect(log.dropped).toBe(2_500);
  });
});

describe("OpenCode's event stream", () => {
  it(`holds at most ${maxQueuedEvents} events for a reader that is behind, and loses none`, async () => {
    let produced = 0;
    const total = 20_000;
    async function* events(): AsyncGenerator<Event> {
      yield { type: "server.connected", properties: {} } as Event;
      for (; produced < total; ) {
        produced++;
        yield inventedCall(produced);
      }
    }
    const client = {
      event: { subscribe: async () => ({ stream: events() }) },
    } as unknown as OpencodeClient;
    const stream = await openEventStream(client);
    try {
      // Nobody reads for a while: the connection is read only until the queue is full.
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(produced).toBeLessThanOrEqual(maxQueuedEvents + 1);
      const ids: string[] = [];
      for (let event = await stream.next(); event; event = await stream.next()) {
        ids.push((event as { id: string }).id);
        if (ids.length === total) break;
      }
      expect(ids).toEqual(Array.from({ length: total }, (_, i) => `evt_${i + 1}`));
    } finally {
      stream.close();
    }
  });
});
