import { PushError } from "../git/push-error.js";
import { failureCategory } from "./failure-category.js";
import { RunError } from "./run-error.js";

/** A failure as the status comment shows it. */
export interface FailureDescription {
  category: string;
  /** The headline, in plain words ("The model provider is unavailable"). */
  title: string;
  message: string;
  /** Whole sentences; the retry hint is added by the comment when `retryable`. */
  whatToDo: string;
  /** A retry can help (see `FailureCategory.retryable`): only then is one offered. */
  retryable: boolean;
}

/**
 * Turns whatever stopped a run into a category, one plain sentence and what to do.
 * Never includes tokens or stack traces: only messages Ship or GitHub wrote for people.
 */
export function describeFailure(
  error: unknown,
  context: { timedOut: boolean; runTimeoutMs: number },
): FailureDescription {
  const { category, message, whatToDo } = classify(error, context);
  const known = failureCategory(category);
  return {
    category,
    title: known.title,
    message,
    whatToDo: whatToDo ?? known.whatToDo,
    retryable: known.retryable,
  };
}

/** The category and sentence; `whatToDo` only where this failure knows better than its category. */
function classify(
  error: unknown,
  context: { timedOut: boolean; runTimeoutMs: number },
): { category: string; message: string; whatToDo?: string } {
  if (context.timedOut) {
    const minutes = Math.max(1, Math.round(context.runTimeoutMs / 60_000));
    return {
      category: "timeout",
      message: `The run took longer than its limit of ${minutes} ${minutes === 1 ? "minute" : "minutes"}, so Ship stopped it and pushed nothing more.`,
    };
  }
  const text = error instanceof Error ? error.message : String(error);
  if (/No space left on device|Out of diskspace|ENOSPC/i.test(text)) {
    return {
      category: "disk_full",
      message: `The sandbox's disk filled up, so Ship could not go on. (${text})`,
    };
  }
  if (error instanceof RunError) {
    return {
      category: error.category,
      message: error.message,
      ...(error.whatToDo ? { whatToDo: error.whatToDo } : {}),
    };
  }
  const agent = (error as { agent?: { category: string; message: string } }).agent;
  if (agent) return { category: agent.category, message: agent.message };
  if (error instanceof PushError) {
    if (error.status === 404) return gone;
    if (error.kind === "branch-moved") return { category: "push", message: error.message };
    const denied = error.status === 401 || error.status === 403;
    return {
      category: denied ? "permission" : "push",
      message: `Ship could not push the commits: ${error.message}`,
    };
  }
  const status = (error as { status?: number }).status;
  if (typeof status === "number" && isRateLimited(error)) {
    return {
      category: "rate_limit",
      message: "GitHub's rate limit for Ship ran out, and it does not reset within a minute.",
    };
  }
  if (status === 404 || status === 410) return gone;
  if (typeof status === "number") {
    const denied = status === 401 || status === 403;
    return {
      category: denied ? "permission" : "github",
      message: `GitHub refused a request from Ship (HTTP ${status}).`,
    };
  }
  return {
    category: "internal",
    message: `Ship ran into an unexpected error: ${text}`,
  };
}

/** GitHub answered 404 or 410 in the middle of a run. */
const gone = {
  category: "not_found",
  message:
    "GitHub answered 404 (not found) for what this run works on: the repository, the issue or the branch was deleted or made private, Ship was removed from it, or the person Ship acts as cannot see it.",
};

/** A 403/429 that is GitHub's primary or secondary rate limit, not a refusal. */
function isRateLimited(error: unknown): boolean {
  const { status, response, message } = error as {
    status?: number;
    message?: string;
    response?: { headers?: Record<string, string | undefined> };
  };
  if (status !== 403 && status !== 429) return false;
  const headers = response?.headers ?? {};
  return (
    status === 429 ||
    headers["x-ratelimit-remaining"] === "0" ||
    headers["retry-after"] !== undefined ||
    /rate limit/i.test(message ?? "")
  );
}
