import type pg from "pg";
import type { Logger } from "pino";
import type { ModelPrice } from "../gateway/model-prices.js";
import type { GitHubApp } from "../github/create-github-app.js";
import type { ReadRunDiff } from "./create-run-diff-reader.js";
import type { SessionSigner } from "./create-session-signer.js";
import type { ReadViewerAccess } from "./create-viewer-access-cache.js";

/** What the run pages need: the database, GitHub (for access checks), the session signer. */
export interface RunPagesDependencies {
  pool: pg.Pool;
  github: GitHubApp;
  signer: SessionSigner;
  /** GitHub's web address, for links to threads, branches and commits. */
  githubUrl: string;
  log: Logger;
  /**
   * Access checks, cached (`createViewerAccessCache`); pass one to share it between the
   * run page, its live log and the history. Each handler caches on its own otherwise.
   */
  readAccess?: ReadViewerAccess;
  /**
   * The run's diff from GitHub (`createRunDiffReader`); pass one to share its cache
   * between the run page and its live log. Each handler makes its own otherwise.
   */
  readDiff?: ReadRunDiff;
  /** Model prices (the gateway's), so a run that cost nothing says why. */
  prices?: Readonly<Record<string, ModelPrice>>;
}
