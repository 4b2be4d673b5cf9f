import { Writable } from "node:stream";
import { createLogger } from "../../src/logging/create-logger.js";

/** A stream that keeps what is written; `isTTY` as a terminal's stdout has it. */
function sink(isTTY: boolean) {
  let text = "";
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        text += String(chunk);
        done();
      },
    }),
    isTTY ? { isTTY: true } : {},
  );
  return { stream, text: () => text };
}

/** What a person sees at a terminal, and what a log collector gets. */
describe("log format", () => {
  it("is pretty on a terminal when LOG_FORMAT is unset", async () => {
    const out = sink(true);
    createLogger({ level: "info", format: undefined }, out.stream).info("Ship is running");
    await new Promise((resolve) => setImmediate(resolve));
    expect(out.text()).toMatch(/INFO.*Ship is running/);
    expect(() => JSON.parse(out.text())).toThrow();
  });

  it("is JSON lines anywhere else when LOG_FORMAT is unset", () => {
    const out = sink(false);
    createLogger({ level: "info", format: undefined }, out.stream).info("Ship is running");
    expect(JSON.parse(out.text())).toMatchObject({ level: 30, msg: "Ship is running" });
  });

  it("follows LOG_FORMAT over the terminal", () => {
    const out = sink(true);
    createLogger({ level: "info", format: "json" }, out.stream).info("Ship is running");
    expect(JSON.parse(out.text())).toMatchObject({ msg: "Ship is running" });
  });
});
