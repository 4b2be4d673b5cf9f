/** A control-plane error: answered as E2B's `{code, message}` with `status`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
