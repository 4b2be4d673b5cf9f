import { spawn } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

describe("npm run playground", () => {
  it("takes `add a README` from comment to draft PR and prints the PR", async () => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", "scripts/playground.ts", "add a README"],
      {
        cwd: root,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: "error" },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(output).toContain("@bob on acme/widgets#1: /ship add a README");
    expect(output).toContain("🚧 **Ship** is working on it.");
    expect(output).toMatch(/Draft PR #\d+: Add a README/);
    expect(output).toContain("branch  ship/add-a-readme-1 -> main (draft)");
    expect(output).toContain("files   README.md");
    expect(output).toMatch(/total\s+\d+\.\d+s/);
    expect(code).toBe(0);
  });
});
