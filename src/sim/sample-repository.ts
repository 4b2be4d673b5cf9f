/**
 * The sample project `npm run sim` and the playground start with: a small Node
 * package with no README, and an issue asking for one.
 */
export const sampleRepository = {
  owner: "acme",
  name: "widgets",
  defaultBranch: "main",
  files: {
    "package.json": `${JSON.stringify(
      {
        name: "widgets",
        version: "1.0.0",
        description: "Tiny helpers for counting widgets",
        main: "src/index.js",
        scripts: { test: "node --test" },
        license: "MIT",
      },
      null,
      2,
    )}\n`,
    "src/index.js":
      "/** How many widgets fit in `space`, `size` each. */\nexport function countWidgets(space, size) {\n  return Math.floor(space / size);\n}\n",
    "test/index.test.js":
      'import { test } from "node:test";\nimport assert from "node:assert";\nimport { countWidgets } from "../src/index.js";\n\ntest("counts whole widgets", () => assert.equal(countWidgets(10, 3), 3));\n',
    ".gitignore": "node_modules/\n",
  },
  issue: {
    title: "Add a README",
    body: "The project has no README yet. It should say what the package does and how to run the tests.",
  },
  /** The installer (admin), a collaborator with write access, one with read access. */
  users: { installer: "alice", writer: "bob", reader: "carol" },
} as const;
