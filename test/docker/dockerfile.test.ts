import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { validate } from "dockerfile-utils";

// No Docker engine runs here: the Dockerfile is checked by a linter (dockerfile-utils,
// the validator behind VS Code's Dockerfile support) and read for what a deployment needs.
const dockerfile = readFileSync("Dockerfile", "utf8");
const instructions = dockerfile
  .replace(/\\\n\s*/g, " ")
  .split("\n")
  .map((line) => line.trim())
  .filter((line) => line && !line.startsWith("#"));
const finalStage = instructions.slice(
  instructions.findLastIndex((line) => line.startsWith("FROM ")),
);

describe("Dockerfile", () => {
  it("passes the linter, which does find problems in a broken file", () => {
    expect(validate(dockerfile)).toEqual([]);
    expect(
      validate("FROM node:20\nHEALTHCHECK --intervl=5s CMD true\nEXPOSE port\n").length,
    ).toBeGreaterThan(0);
  });

  it("builds in one stage and runs from another with production dependencies only", () => {
    expect(instructions.filter((line) => line.startsWith("FROM "))).toHaveLength(2);
    expect(dockerfile).toMatch(/npm ci\b/);
    expect(dockerfile).toMatch(/npm prune --omit=dev|npm ci --omit=dev/);
    expect(finalStage.some((line) => /^COPY --from=build \/app\/node_modules/.test(line))).toBe(
      true,
    );
  });

  it("runs as a non-root user, checks /healthz, and keeps the embedded database in a volume", () => {
    const user = finalStage.filter((line) => line.startsWith("USER ")).at(-1);
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^USER (root|0)(:|$)/);
    expect(finalStage.find((line) => line.startsWith("HEALTHCHECK "))).toMatch(/\/healthz/);
    expect(finalStage).toContain('VOLUME ["/data"]');
    expect(finalStage.join("\n")).toMatch(/SHIP_DATA_DIR=\/data/);
    // With no app yet the process serves the register-the-app flow (healthy, not
    // ready), which writes .env into the working directory.
    expect(finalStage).toContain("WORKDIR /app");
    expect(finalStage.find((line) => line.includes("chown"))).toMatch(/chown node:node .*\/app\b/);
  });
});
