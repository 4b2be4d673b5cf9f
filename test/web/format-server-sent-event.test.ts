import { createParser, type EventSourceMessage } from "eventsource-parser";
import { formatServerSentEvent } from "../../src/web/format-server-sent-event.js";
import { renderRunEvent } from "../../src/web/render-run-event.js";

/** What a browser's EventSource makes of a stream: the events it dispatches, in order. */
function received(stream: string): EventSourceMessage[] {
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (event) => events.push(event) });
  parser.feed(stream);
  return events;
}

describe("formatServerSentEvent", () => {
  it.each([
    ["a bare CR", "\r"],
    ["CRLF", "\r\n"],
    ["LF", "\n"],
    ["CR CR", "\r\r"],
    ["LF CR", "\n\r"],
  ])("keeps an entry containing %s one intact event", (_name, ending) => {
    const forged = `x${ending}event: end${ending}data: succeeded${ending}${ending}id: 999999${ending}event: summary${ending}data: <b>forged</b>`;
    const stream =
      formatServerSentEvent("entry", forged, 7) + formatServerSentEvent("entry", "next", 8);
    const events = received(stream);
    expect(events.map(({ event, id }) => ({ event, id }))).toEqual([
      { event: "entry", id: "7" },
      { event: "entry", id: "8" },
    ]);
    // Every line of the entry arrives, its line ends as LF (what EventSource joins with).
    expect(events[0]?.data).toBe(forged.split(/\r\n|\r|\n/).join("\n"));
  });

  it("keeps a rendered todo list with a CR in an item one entry", () => {
    const html = renderRunEvent({
      id: 42,
      kind: "agent.todos",
      at: new Date("2026-12-01T12:00:00Z"),
      data: { todos: [{ content: "x\revent: end\rdata: succeeded\r", status: "pending" }] },
    });
    const events = received(formatServerSentEvent("entry", html, 42));
    expect(events).toHaveLength(1);
    expect(events[0]?.event).toBe("entry");
    expect(events[0]?.data).toContain("event: end");
  });
});
