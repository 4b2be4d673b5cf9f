/**
 * A GitHub-shaped error answer: the status and the `{message, documentation_url,
 * status}` body GitHub sends, plus `errors` for 422 validation failures.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: {
      errors?: Array<Record<string, unknown>>;
      headers?: Record<string, string>;
      documentationUrl?: string;
    } = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}
