import { openEventStream } from "../../src/agent/open-event-stream.js";
import { type AgentWorld, startAgentWorld } from "./start-agent-world.js";

let world: AgentWorld;

beforeAll(async () => {
  world = await startAgentWorld({ scripts: { "say-done": [{ reply: "Done." }] } });
}, 45_000);

afterAll(async () => {
  await world?.stop();
});

describe("openEventStream", () => {
  it("delivers events that happen after it resolves", async () => {
    const stream = await openEventStream(world.opencode.client);
    try {
      const { data: session } = await world.opencode.client.session.create(
        { title: "events" },
        { throwOnError: true },
      );
      const types: string[] = [];
      for (;;) {
        const event = await stream.next();
        if (!event) throw new Error("the stream ended");
        types.push(event.type);
        if (event.type === "session.created" && event.properties.info.id === session.id) break;
      }
      expect(types).toContain("session.created");
    } finally {
      stream.close();
    }
  });

  it("ends when the connection stays silent too long: a dead connection is not waited on forever", async () => {
    // OpenCode sends a heartbeat every 10 s; nothing else happens here.
    const stream = await openEventStream(world.opencode.client, { silenceMs: 300 });
    const started = Date.now();
    expect(await stream.next()).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("ends at once when closed or when its signal aborts", async () => {
    const closed = await openEventStream(world.opencode.client);
    const waiting = closed.next();
    closed.close();
    expect(await waiting).toBeUndefined();

    const controller = new AbortController();
    const aborted = await openEventStream(world.opencode.client, { signal: controller.signal });
    const next = aborted.next();
    controller.abort();
    expect(await next).toBeUndefined();
    await expect(
      openEventStream(world.opencode.client, { signal: controller.signal }),
    ).rejects.toThrow(/Aborted/);
  });
});
