import { describe, expect, it } from "@jest/globals";
import { runningLabel } from "../../src/web/running-label.js";

describe("runningLabel", () => {
  it("says a taken run is getting ready, not 'Running: Queued'", () => {
    expect(runningLabel("queued")).toBe("Running: getting ready");
  });
  it("names the phase in words", () => {
    expect(runningLabel("agent")).toBe("Running: Agent at work");
    expect(runningLabel("something_new")).toBe("Running: something_new");
  });
});
