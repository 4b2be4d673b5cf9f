// Rewrites the configuration reference in README.md from the env schema.
// Run: npm run docs:config
import { readFileSync, writeFileSync } from "node:fs";
import { renderConfigReference } from "../src/config/render-config-reference.js";

const start = "<!-- config-reference:start -->";
const end = "<!-- config-reference:end -->";
const readme = readFileSync("README.md", "utf8");
const before = readme.slice(0, readme.indexOf(start) + start.length);
const after = readme.slice(readme.indexOf(end));
writeFileSync("README.md", `${before}\n${renderConfigReference()}\n${after}`);
