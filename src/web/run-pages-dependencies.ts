import type pg from "pg";
import type { Logger } from "pino";
import type { GitHubApp } from "../github/create-github-app.js";
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
}
