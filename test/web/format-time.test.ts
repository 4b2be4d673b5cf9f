import { describe, expect, it } from "@jest/globals";
import { formatSeconds, formatTime } from "../../src/web/format-time.js";

describe("formatTime", () => {
  it("shows the UTC time of day to the second, with the full instant in datetime", () => {
    expect(formatTime(new Date("2024-05-06T07:08:09.987Z"))).toBe(
      '<time datetime="2024-05-06T07:08:09.987Z">07:08:09</time>',
    );
    expect(formatTime(new Date("2024-12-31T23:59:59+02:00"))).toBe(
      '<time datetime="2024-12-31T21:59:59.000Z">21:59:59</time>',
    );
  });
});

describe("formatSeconds", () => {
  it("shows tenths of a second under ten seconds", () => {
    expect(formatSeconds(0)).toBe("0 s");
    expect(formatSeconds(0.44)).toBe("0.4 s");
    expect(formatSeconds(0.45)).toBe("0.5 s");
    expect(formatSeconds(3)).toBe("3 s");
    expect(formatSeconds(9.94)).toBe("9.9 s");
  });

  it("shows whole seconds under a minute", () => {
    expect(formatSeconds(10)).toBe("10 s");
    expect(formatSeconds(12.4)).toBe("12 s");
    expect(formatSeconds(59.4)).toBe("59 s");
  });

  it("shows minutes and seconds under an hour", () => {
    expect(formatSeconds(60)).toBe("1 min 0 s");
    expect(formatSeconds(185)).toBe("3 min 5 s");
    expect(formatSeconds(185.4)).toBe("3 min 5 s");
    expect(formatSeconds(3599)).toBe("59 min 59 s");
  });

  it("rounds before splitting, so a minute never shows 60 seconds", () => {
    expect(formatSeconds(9.97)).toBe("10 s");
    expect(formatSeconds(59.6)).toBe("1 min 0 s");
    expect(formatSeconds(119.6)).toBe("2 min 0 s");
    expect(formatSeconds(3599.7)).toBe("1 h 0 min");
  });

  it("shows hours and minutes from an hour on", () => {
    expect(formatSeconds(3600)).toBe("1 h 0 min");
    expect(formatSeconds(3720)).toBe("1 h 2 min");
    expect(formatSeconds(7384)).toBe("2 h 3 min");
    expect(formatSeconds(90_000)).toBe("25 h 0 min");
  });
});
