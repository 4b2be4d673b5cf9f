import { readFileSync } from "node:fs";
import path from "node:path";
import { envSchema } from "../../src/config/env-schema.js";
import { readConfig } from "../../src/config/read-config.js";
import { renderConfigReference } from "../../src/config/render-config-reference.js";

const root = path.resolve(import.meta.dirname, "../..");

/** `.env.example` must list exactly the variables Ship reads, with values it accepts. */
describe(".env.example", () => {
  const text = readFileSync(path.join(root, ".env.example"), "utf8");
  const entries = Object.fromEntries(
    text
      .split("\n")
      .filter((line) => /^[A-Z0-9_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );

  it("lists every variable in the schema and nothing else", () => {
    expect(Object.keys(entries).sort()).toEqual(Object.keys(envSchema.shape).sort());
  });

  it("holds values Ship accepts (the defaults)", () => {
    const config = readConfig({ ...entries, SHIP_ROLE: "web" }, root);
    expect(config.app).toBeUndefined();
    expect(config.server.port).toBe(3000);
  });
});

describe("README configuration reference", () => {
  it("is the one rendered from the schema (run `npm run docs:config` after changing it)", () => {
    const readme = readFileSync(path.join(root, "README.md"), "utf8");
    const start = readme.indexOf("<!-- config-reference:start -->");
    const end = readme.indexOf("<!-- config-reference:end -->");
    expect(start).toBeGreaterThan(0);
    const section = readme.slice(start + "<!-- config-reference:start -->".length, end).trim();
    expect(section).toBe(renderConfigReference());
  });

  it("shows defaults that mean what the schema defaults to", () => {
    for (const [name, field] of Object.entries(envSchema.shape)) {
      const shown = (field.meta() as { default?: string }).default;
      if (shown === undefined) continue;
      expect([name, field.parse(shown)]).toEqual([name, field.parse(undefined)]);
    }
  });
});
