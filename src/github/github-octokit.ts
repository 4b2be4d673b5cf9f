import { ProbotOctokit } from "probot";

/**
 * Probot's Octokit (retries, throttling, pagination), with throttling switched off when
 * `throttle` is false (a GitHub Enterprise Server without secondary limits, the local
 * world). Used for the app, its installations and people alike.
 */
export function githubOctokit(throttle: boolean): typeof ProbotOctokit {
  return throttle
    ? ProbotOctokit
    : ProbotOctokit.defaults((options: Record<string, unknown>) => ({
        ...options,
        throttle: { ...(options.throttle as object), enabled: false },
      }));
}
