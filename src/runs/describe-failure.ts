import { PushError } from "../git/push-error.js";
import { RunError } from "./run-error.js";

/** A failure as the status comment shows it. */
export interface FailureDescription {
  category: string;
  message: string;
  whatToDo: string;
}

const retryHint = "Comment `/ship retry` to try again.";

/** GitHub answered 404 or 410 in the middle of a run. */
const goneFailure: FailureDescription = {
  category: "not_found",
  message:
    "GitHub answered 404 (not found) for what this run works on: the repository, the issue or the branch was deleted or made private, Ship was removed from it, or the person Ship acts as cannot see it.",
  whatToDo:
    "If the repository still exists, Ship is installed on it and the person Ship acts as can push to it, comment `/ship retry` to try again.",
};

/**
 * Turns whatever stopped a run into a category, one plain sentence and what to do.
 * Never includes tokens or stack traces: only messages Ship or GitHub wrote for people.
 */
export function describeFailure(
  error: unknown,
  context: { timedOut: boolean; runTimeoutMs: number },
): FailureDescription {
  if (context.timedOut) {
    return {
      category: "timeout",
      message: `The run took longer than ${Math.round(context.runTimeoutMs / 60_000) || 1} minute(s), Ship's limit, so Ship stopped it and pushed nothing more.`,
      whatToDo: `Split the task into smaller ones, or ask the operator to raise SHIP_RUN_TIMEOUT. ${retryHint}`,
    };
  }
  const text = error instanceof Error ? error.message : String(error);
  if (/No space left on device|Out of diskspace|ENOSPC/i.test(text)) {
    return {
      category: "disk_full",
      message: `The sandbox's disk filled up, so Ship could not go on. (${text})`,
      whatToDo: `Ask for a smaller change, or keep large generated files out of the repository (\`.gitignore\`). ${retryHint}`,
    };
  }
  if (error instanceof RunError) {
    return {
      category: error.category,
      message: error.message,
      whatToDo: error.whatToDo ?? retryHint,
    };
  }
  const agent = (error as { agent?: { category: string; message: string; retryable: boolean } })
    .agent;
  if (agent) {
    return {
      category: agent.category,
      message: agent.message,
      whatToDo: agent.retryable
        ? `The model provider may be busy or down. ${retryHint} in a few minutes.`
        : `Check the model (\`--model\`, or the operator's SHIP_MODEL and provider settings). ${retryHint}`,
    };
  }
  if (error instanceof PushError) {
    if (error.status === 404) return goneFailure;
    if (error.kind === "branch-moved")
      return { category: "push", message: error.message, whatToDo: retryHint };
    const denied = error.status === 401 || error.status === 403 || error.status === 404;
    return {
      category: denied ? "permission" : "push",
      message: `Ship could not push the commits: ${error.message}`,
      whatToDo: denied
        ? "Check that Ship is installed on this repository with contents and pull requests write permission, then comment `/ship retry`."
        : retryHint,
    };
  }
  const status = (error as { status?: number }).status;
  if (typeof status === "number" && isRateLimited(error)) {
    return {
      category: "rate_limit",
      message: "GitHub's rate limit for Ship ran out, and it does not reset within a minute.",
      whatToDo: "Comment `/ship retry` later: GitHub's limits reset within the hour.",
    };
  }
  if (status === 404 || status === 410) return goneFailure;
  if (typeof status === "number") {
    const denied = status === 401 || status === 403;
    return {
      category: denied ? "permission" : "github",
      message: `GitHub refused a request from Ship (HTTP ${status}).`,
      whatToDo: denied
        ? "Check that Ship is still installed on this repository with the permissions it asks for, then comment `/ship retry`."
        : `GitHub may be having trouble. ${retryHint}`,
    };
  }
  return {
    category: "internal",
    message: `Ship ran into an unexpected error: ${error instanceof Error ? error.message : String(error)}`,
    whatToDo: `${retryHint} If it happens again, tell whoever runs Ship.`,
  };
}

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
