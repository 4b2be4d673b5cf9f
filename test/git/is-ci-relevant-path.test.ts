import { isCiRelevantPath } from "../../src/git/is-ci-relevant-path.js";

describe("isCiRelevantPath", () => {
  it.each([
    "package.json",
    "packages/app/package.json",
    "Makefile",
    "makefile",
    "GNUmakefile",
    "build/rules.mk",
    "Justfile",
    "Taskfile.yml",
    "Dockerfile",
    "docker/Dockerfile.dev",
    "app.dockerfile",
    "docker-compose.yml",
    "docker-compose.override.yaml",
    "compose.yaml",
    ".pre-commit-config.yaml",
    "tox.ini",
    "noxfile.py",
    "setup.py",
    "pyproject.toml",
    "tests/conftest.py",
    "Rakefile",
    "build.gradle",
    "app/build.gradle.kts",
    "pom.xml",
    ".gitlab-ci.yml",
    "Jenkinsfile",
    ".circleci/config.yml",
    ".buildkite/pipeline.yml",
    "azure-pipelines.yml",
    ".husky/pre-commit",
    "lefthook.yml",
    ".envrc",
    ".github/actions/setup/action.yml",
    "PACKAGE.JSON",
    ".npmrc",
    ".yarnrc.yml",
    ".yarn/releases/yarn-4.1.0.cjs",
    ".pnpmfile.cjs",
    "Gemfile",
    "build.rs",
    "crates/core/Cargo.toml",
    ".cargo/config.toml",
    "jest.config.js",
    "vitest.config.mts",
    "playwright.config.ts",
    ".devcontainer/devcontainer.json",
  ])("flags %s", (path) => {
    expect(isCiRelevantPath(path)).toBe(true);
  });

  it.each([
    "README.md",
    "src/index.ts",
    "package-lock.json",
    "yarn.lock",
    "docs/package.json.md",
    "scripts/ci.js",
    "src/makefile.ts",
    "sub/.circleci/config.yml",
    "setup.py.bak",
  ])("leaves %s alone", (path) => {
    expect(isCiRelevantPath(path)).toBe(false);
  });
});
