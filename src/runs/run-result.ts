import type { LeftOutFile } from "../git/left-out-file.js";

/** What a run produced, shown in its final status comment. */
export interface RunResult {
  /** The agent's own summary of its last response that was pushed (the commit message). */
  summary?: string;
  /**
   * The agent's last message, pushed or not: on a run that changed nothing it is the
   * whole answer (to a question, a "check whether…"), so the status comment shows it.
   */
  answer?: string;
  commits: Array<{ sha: string; message: string }>;
  filesChanged: string[];
  pullRequest?: { number: number; url: string };
  /**
   * Files the agent changed that Ship did not push: CI workflows, the rest of `.github/`
   * and the repository's `protectedPaths`, files too large for GitHub.
   */
  leftOut?: LeftOutFile[];
  /** Things the requester should know about how the run went (e.g. OpenCode installed at start). */
  notes?: string[];
  /** Model tokens and their cost in US dollars, as the model gateway counted them. */
  usage?: { input: number; output: number; cacheRead: number; cacheWrite?: number; cost: number };
}
