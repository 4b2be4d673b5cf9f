/**
 * File names, anywhere in the repository, that CI commonly runs: build and task files
 * (`package.json` scripts, make, just, task, rake, gradle, maven, python packaging and
 * test runners and their configs), container builds, package managers' settings, git
 * hooks and other CI systems' own configuration.
 * Lockfiles are left out: they change often and only pin what a manifest already names.
 */
const ciFileNames = [
  /^package\.json$/,
  /^(?:gnu)?makefile$/,
  /\.mk$/,
  /^justfile$/,
  /^taskfile\.ya?ml$/,
  /^dockerfile/,
  /\.dockerfile$/,
  /^docker-compose/,
  /^compose\.ya?ml$/,
  /^\.pre-commit-config\.ya?ml$/,
  /^tox\.ini$/,
  /^noxfile\.py$/,
  /^setup\.py$/,
  /^setup\.cfg$/,
  /^pyproject\.toml$/,
  /^conftest\.py$/,
  /^rakefile$/,
  /^build\.gradle/,
  /^settings\.gradle/,
  /^pom\.xml$/,
  /^\.gitlab-ci\.ya?ml$/,
  /^jenkinsfile$/,
  /^azure-pipelines\.ya?ml$/,
  /^bitbucket-pipelines\.ya?ml$/,
  /^\.travis\.ya?ml$/,
  /^lefthook\.ya?ml$/,
  /^\.envrc$/,
  // Package managers' own settings and bundled releases run code on install.
  /^\.npmrc$/,
  /^\.yarnrc(?:\.ya?ml)?$/,
  /^\.pnpmfile\.c?js$/,
  /^gemfile$/,
  // Rust builds run build scripts; test runners load their configs as code.
  /^build\.rs$/,
  /^cargo\.toml$/,
  /^(?:jest|vitest|playwright|karma|cypress)\.config\.[cm]?[jt]s$/,
];

/** Folders at the repository's root whose every file CI or a git hook runs. */
const ciFolders =
  /^(?:\.github|\.circleci|\.buildkite|\.husky|\.devcontainer|\.cargo|\.yarn\/releases|\.yarn\/plugins)\//;

/**
 * Whether CI may run `path` (as Ship parsed it from the pushed commit, never as the
 * sandbox reports it): a change there runs with the repository's secrets on the next
 * push or pull request workflow, before anyone reviewed it, so the status comment says
 * so. The list is fixed and documented rather than guessed from the workflows: a
 * `scripts/` file a workflow calls is not flagged. Letter case is ignored, as checkouts
 * on macOS and Windows fold it.
 */
export function isCiRelevantPath(path: string): boolean {
  const lower = path.toLowerCase();
  if (ciFolders.test(lower)) return true;
  const name = lower.slice(lower.lastIndexOf("/") + 1);
  return ciFileNames.some((pattern) => pattern.test(name));
}
