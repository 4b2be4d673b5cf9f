import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { Template } from "e2b";
import { opencodeVersion } from "../../src/sandbox/opencode-version.js";
import { shipTemplate } from "../../src/sandbox/ship-template.js";

const packageJson = JSON.parse(readFileSync("package.json", "utf8")) as {
  devDependencies: Record<string, string>;
  dependencies: Record<string, string>;
};

describe("Ship's E2B template", () => {
  it("pins the OpenCode the local world and the agent tests run", () => {
    const pinned =
      packageJson.devDependencies["opencode-ai"] ?? packageJson.dependencies["opencode-ai"];
    expect(pinned).toBe(opencodeVersion);
    const installed = JSON.parse(readFileSync("node_modules/opencode-ai/package.json", "utf8"));
    expect(installed.version).toBe(opencodeVersion);
  });

  it("is Node 20 with git, ripgrep and that OpenCode, used by a non-root user", () => {
    const dockerfile = Template.toDockerfile(shipTemplate());
    expect(dockerfile).toMatch(/^FROM node:20-bookworm$/m);
    expect(dockerfile).toMatch(/apt-get install .*\bgit\b/);
    expect(dockerfile).toMatch(/apt-get install .*\bripgrep\b/);
    expect(dockerfile).toContain(`npm install -g opencode-ai@${opencodeVersion}`);
    const users = [...dockerfile.matchAll(/^USER (\S+)$/gm)].map((match) => match[1]);
    expect(users.at(-1)).toBe("user");
    expect(dockerfile).toMatch(/^WORKDIR \/home\/user$/m);
  });
});
