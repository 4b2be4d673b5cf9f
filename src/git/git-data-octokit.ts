import type { Octokit } from "@octokit/rest";

/**
 * The part of an Octokit the push needs. Structural on purpose: Probot's Octokit is a
 * different class from `@octokit/rest`'s (other plugins), and both must fit.
 */
export interface GitDataOctokit {
  rest: {
    git: Pick<
      Octokit["rest"]["git"],
      | "createBlob"
      | "createTree"
      | "createCommit"
      | "getCommit"
      | "getRef"
      | "createRef"
      | "updateRef"
    >;
  };
}
