import { PushError } from "./push-error.js";

interface ApiFailure {
  status?: unknown;
  message?: unknown;
  response?: { headers?: Record<string, unknown>; data?: unknown };
}

/**
 * Turns an Octokit failure into a `PushError` that keeps GitHub's status and says
 * whether a retry can help: 5xx, 429 and rate limits (a 403 with `retry-after` or no
 * requests left) can; 401, other 403s, 404 and 422 will answer the same again. Octokit
 * reports a network failure as status 500, so it counts as retryable too.
 */
export function toPushError(
  error: unknown,
  context: { doing: string; repository: string },
): PushError {
  if (error instanceof PushError) return error;
  const failure = (typeof error === "object" && error !== null ? error : {}) as ApiFailure;
  const status = typeof failure.status === "number" ? failure.status : undefined;
  const headers = failure.response?.headers ?? {};
  const data = failure.response?.data as { message?: unknown } | undefined;
  const detail = String(data?.message ?? failure.message ?? error);
  const retryAfter = Number(headers["retry-after"]);
  const reset = Number(headers["x-ratelimit-reset"]);
  const rateLimited =
    status === 429 ||
    (status === 403 &&
      (headers["retry-after"] !== undefined ||
        headers["x-ratelimit-remaining"] === "0" ||
        /rate limit/i.test(detail)));
  const retryAfterSeconds = Number.isFinite(retryAfter)
    ? retryAfter
    : rateLimited && Number.isFinite(reset)
      ? Math.max(0, reset - Math.floor(Date.now() / 1000))
      : undefined;
  const { doing, repository } = context;
  let message: string;
  if (rateLimited) {
    message = `GitHub's rate limit stopped Ship while it tried to ${doing} in ${repository}; it can try again later.`;
  } else if (status === undefined || status >= 500) {
    message = `GitHub failed (${status ?? "no answer"}: ${detail}) while Ship tried to ${doing} in ${repository}; trying again may work.`;
  } else if (status === 401) {
    message = `GitHub did not accept the credentials Ship pushes with (401) when it tried to ${doing} in ${repository}; the account may need to authorize Ship again.`;
  } else if (status === 403 || status === 404) {
    message = `The account Ship pushes as cannot write to ${repository} (GitHub answered ${status} "${detail}" when Ship tried to ${doing}).`;
  } else {
    message = `GitHub refused to ${doing} in ${repository} (${status}: ${detail}).`;
  }
  return new PushError({
    kind: "github",
    message,
    retryable: rateLimited || status === undefined || status >= 500,
    ...(status === undefined ? {} : { status }),
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    cause: error,
  });
}
