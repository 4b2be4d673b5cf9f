/**
 * OpenAI's error envelope, which the AI SDK parses to fill OpenCode's `APIError`
 * (its message becomes `error.data.message`). Type and code follow OpenAI's usage
 * for the status.
 */
export function apiErrorBody(status: number, message: string): object {
  const [type, code] =
    status === 429
      ? ["requests", "rate_limit_exceeded"]
      : status >= 500
        ? ["server_error", null]
        : status === 404
          ? ["invalid_request_error", "model_not_found"]
          : ["invalid_request_error", null];
  return { error: { message, type, param: null, code } };
}
