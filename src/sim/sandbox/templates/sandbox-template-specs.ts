/** What one of the stand-in's templates has: E2B's template of the same name, approximately. */
export interface SandboxTemplateSpec {
  /** Debian packages (with their dependencies and the essential set), taken from this machine. */
  readonly packages: readonly string[];
  /** Symbolic links to add: path in the sandbox -> target. */
  readonly links: Readonly<Record<string, string>>;
  /**
   * Host directories taken whole, for what changed after its package was installed
   * (npm upgrades itself in place, so dpkg's list of its files is stale).
   */
  readonly hostTrees: readonly string[];
  /** Whether OpenCode (the binary npm installed with `opencode-ai`) is on PATH. */
  readonly opencode: boolean;
}

/** Ship's template (`src/sandbox/ship-template.ts`: Node 20 on bookworm, git, ripgrep, OpenCode). */
const shipTools = [
  "nodejs",
  "git",
  "ripgrep",
  "ca-certificates",
  "curl",
  "less",
  "procps",
  "python3",
  "make",
];

/** npm as this machine has it (with a packaged Node.js). */
const nodeTrees = ["/usr/lib/node_modules/npm"];

/**
 * The templates `Sandbox.create` knows by name. `base` is E2B's default (python, git,
 * sudo for `user`); `ship-opencode` is Ship's own; `bare` is Ship's without OpenCode, as
 * a team's own template may be. Every template has `sudo` (see `sudoShim`).
 */
export const sandboxTemplateSpecs = {
  base: {
    packages: ["python3", "git", "curl", "ca-certificates", "procps"],
    links: { "/usr/bin/python": "python3" },
    hostTrees: [],
    opencode: false,
  },
  "ship-opencode": { packages: shipTools, links: {}, hostTrees: nodeTrees, opencode: true },
  bare: { packages: shipTools, links: {}, hostTrees: nodeTrees, opencode: false },
} satisfies Record<string, SandboxTemplateSpec>;

export type SandboxTemplateName = keyof typeof sandboxTemplateSpecs;
