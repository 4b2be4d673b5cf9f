/** Jest runs TypeScript as ESM (probot and octokit are ESM-only). */
export default {
  preset: "ts-jest/presets/default-esm",
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  extensionsToTreatAsEsm: [".ts"],
  moduleNameMapper: {
    "^(\\.{1,2}/.*)\\.js$": "$1",
    // Jest picks e2b's CommonJS build, which require()s ESM-only chalk; use its ESM build.
    "^e2b$": "<rootDir>/node_modules/e2b/dist/index.mjs",
  },
  transform: {
    "^.+\\.ts$": ["ts-jest", { useESM: true }],
  },
  globalSetup: "<rootDir>/test/global-setup.js",
  globalTeardown: "<rootDir>/test/global-teardown.js",
  testTimeout: 60_000,
  maxWorkers: 2,
};
