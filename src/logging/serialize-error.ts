/**
 * An error as it may be logged: its kind, message, HTTP status and stack, and the same
 * for its cause. Nothing else: an Octokit or fetch error's `request` and `response` hold
 * credentials (client secrets, refresh tokens, authorization headers).
 */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const status = (error as { status?: unknown }).status;
  return {
    type: error.name,
    message: error.message,
    ...(typeof status === "number" ? { status } : {}),
    ...(error.stack ? { stack: error.stack } : {}),
    ...(error.cause !== undefined ? { cause: serializeError(error.cause) } : {}),
  };
}
