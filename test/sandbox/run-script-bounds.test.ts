import { runCommand } from "../../src/sandbox/run-command.js";
import { keptOutputBytes, runScript } from "../../src/sandbox/run-script.js";
import { bashSandbox } from "../helpers/bash-sandbox.js";

describe("command output Ship keeps", () => {
  it("returns output under 1 MiB whole", async () => {
    expect(await runScript(bashSandbox(), "printf 'a%.0s' $(seq 1000)")).toBe("a".repeat(1000));
  });

  it("keeps the first 1 MiB of a longer output and says it was cut", async () => {
    const output = await runScript(bashSandbox(), "head -c 3000000 /dev/zero | tr '\\0' x");
    expect(output.startsWith("x".repeat(keptOutputBytes))).toBe(true);
    expect(output.length).toBeLessThan(keptOutputBytes + 500);
    expect(output).toMatch(/\[Ship kept the first 1 MiB of this output; \d+ more bytes were cut\]/);
  });

  it("stops a command that prints without end, keeping worker memory bounded", async () => {
    const sandbox = bashSandbox();
    const started = Date.now();
    const rss = process.memoryUsage().rss;
    await expect(runScript(sandbox, "yes 'endless output'")).rejects.toThrow(
      /cut short: its stdout passed 16 MiB, so Ship stopped it/,
    );
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1024 * 1024);
  });

  it("fails output that must be whole (a git listing) rather than cut it", async () => {
    await expect(
      runScript(bashSandbox(), "head -c 2000000 /dev/zero | tr '\\0' x", { cutOutput: "fail" }),
    ).rejects.toThrow(/cut short/);
  });

  it("runCommand: a setup command's long output is cut, not fatal; an endless one fails clearly", async () => {
    const long = await runCommand(bashSandbox(), ["bash", "-c", "seq 1 400000"], {
      category: "setup",
      doing: "run the setup command",
    });
    expect(long.startsWith("1\n2\n3\n")).toBe(true);
    expect(long).toContain("more bytes were cut]");
    await expect(
      runCommand(bashSandbox(), ["yes"], { category: "setup", doing: "run the setup command" }),
    ).rejects.toThrow(/Ship could not run the setup command: .*cut short/);
  });
});
