import Bottleneck from "bottleneck";
import { ProbotOctokit } from "probot";

/** How often one request is sent again after GitHub said "wait" (any rate limit). */
export const rateLimitRetries = 3;

/**
 * The longest Ship waits, inside one request, for a rate limit to lift. A longer wait
 * (a primary limit that resets in half an hour) fails the request with GitHub's 403 or
 * 429 at once: a run should not hold its sandbox for that long, and jobs expire sooner.
 */
export const maxRateLimitWaitSeconds = 60;

/** GitHub's statuses the retry plugin must not repeat (its defaults, and 429). */
const doNotRetry = [400, 401, 403, 404, 410, 422, 429, 451];

type LimitHandler = (
  retryAfter: number,
  options: { method?: string; url?: string },
  octokit: { log: { warn(message: string): void } },
  retryCount: number,
) => boolean;

/** Waits out a limit (GitHub's `retry-after`, or the reset) when it lifts soon enough. */
function waitOut(kind: string): LimitHandler {
  return (retryAfter, options, octokit, retryCount) => {
    const request = `${options.method} ${options.url}`;
    if (retryCount < rateLimitRetries && retryAfter <= maxRateLimitWaitSeconds) {
      octokit.log.warn(`${kind} on "${request}"; sending it again in ${retryAfter} s`);
      return true;
    }
    octokit.log.warn(
      `${kind} on "${request}"; not waiting ${retryAfter} s (try ${retryCount + 1}), giving up`,
    );
    return false;
  };
}

/**
 * Probot's Octokit (retries, throttling, pagination) as Ship uses it for the app, its
 * installations and people alike. Rate limits are always the throttling plugin's: it
 * recognises GitHub's secondary limit (403 or 429, "secondary rate limit", waiting
 * `retry-after` seconds, else 60) and its primary limit (`x-ratelimit-remaining: 0`,
 * waiting until `x-ratelimit-reset`), and Ship waits either out when it lifts within
 * `maxRateLimitWaitSeconds`, up to `rateLimitRetries` times per request. (Probot's own
 * handler for installations never retries a secondary limit.) The retry plugin keeps
 * repeating 5xx and network failures with its backoff, but no longer 429: it would ask
 * again after 1 s whatever `retry-after` said.
 *
 * With `throttle` false (a GitHub Enterprise Server without secondary limits, the local
 * world) only the plugin's pacing goes: writes are no longer spaced a second apart
 * (three before a comment, issue or pull request, two between searches); rate limits are still waited out.
 */
export function githubOctokit(throttle: boolean): typeof ProbotOctokit {
  const unpaced = throttle
    ? {}
    : {
        write: new Bottleneck.Group(),
        notifications: new Bottleneck.Group(),
        search: new Bottleneck.Group(),
      };
  return ProbotOctokit.defaults((options: Record<string, unknown>) => ({
    ...options,
    throttle: {
      ...(options.throttle as object),
      enabled: true,
      onSecondaryRateLimit: waitOut("Secondary rate limit"),
      onRateLimit: waitOut("Rate limit"),
      ...unpaced,
    },
    retry: { ...(options.retry as object), doNotRetry },
  }));
}
