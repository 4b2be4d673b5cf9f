/**
 * What went wrong, so the caller can word it and decide what to do:
 * - `github`: an API call failed; `status` says how (and `retryable` whether to retry);
 * - `branch-moved`: someone else pushed to the branch meanwhile; nothing was overwritten;
 * - `unsupported`: the local history holds something Ship does not push (merge commits,
 *   submodules, file names that are not UTF-8) or does not start at the remote base;
 * - `sandbox`: git or a file read inside the sandbox failed;
 * - `corrupt`: bytes or objects did not hash to what git said they are.
 */
export type PushErrorKind = "github" | "branch-moved" | "unsupported" | "sandbox" | "corrupt";

/**
 * Why `pushSandboxCommits` failed. `retryable` is true only for failures that may pass
 * on their own (GitHub 5xx, 429, rate limits, network, a sandbox call that timed out);
 * a 401/403/404/422 or a history Ship refuses will fail the same way again.
 */
export class PushError extends Error {
  override readonly name = "PushError";
  readonly kind: PushErrorKind;
  /** The HTTP status GitHub answered with, when the failure was an API answer. */
  readonly status: number | undefined;
  readonly retryable: boolean;
  /** How long GitHub asked us to wait (`retry-after`, or until the rate limit resets). */
  readonly retryAfterSeconds: number | undefined;

  constructor(params: {
    kind: PushErrorKind;
    message: string;
    retryable?: boolean;
    status?: number;
    retryAfterSeconds?: number;
    cause?: unknown;
  }) {
    super(params.message, params.cause === undefined ? undefined : { cause: params.cause });
    this.kind = params.kind;
    this.status = params.status;
    this.retryable = params.retryable ?? false;
    this.retryAfterSeconds = params.retryAfterSeconds;
  }
}
