/**
 * A run's failure in words a user can act on: a category (shown in the status comment's
 * headline), one plain sentence, what to do about it, and whether trying the same step
 * again soon could help (network blips, 5xx, 429) or not (auth, permission, bad input).
 */
export class RunError extends Error {
  override name = "RunError";
  readonly category: string;
  readonly whatToDo: string | undefined;
  readonly retryable: boolean;

  constructor(params: {
    category: string;
    message: string;
    whatToDo?: string;
    retryable?: boolean;
    cause?: unknown;
  }) {
    super(params.message, { cause: params.cause });
    this.category = params.category;
    this.whatToDo = params.whatToDo;
    this.retryable = params.retryable ?? false;
  }
}
