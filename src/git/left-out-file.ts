/**
 * A file the agent changed that Ship did not push, and why: `workflow` for CI workflows
 * (and links under `.github/`, which could stand for one), `protected` for the rest of
 * `.github/` and the repository's `protectedPaths:`, `too-large` for files over what
 * GitHub takes.
 */
export interface LeftOutFile {
  path: string;
  why: "workflow" | "protected" | "too-large";
}
