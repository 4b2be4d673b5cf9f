import { ZodError } from "zod";

/** The Connect protocol's error codes (https://connectrpc.com/docs/protocol/#error-codes). */
export type ConnectCode =
  | "canceled"
  | "unknown"
  | "invalid_argument"
  | "deadline_exceeded"
  | "not_found"
  | "already_exists"
  | "permission_denied"
  | "resource_exhausted"
  | "failed_precondition"
  | "aborted"
  | "out_of_range"
  | "unimplemented"
  | "internal"
  | "unavailable"
  | "data_loss"
  | "unauthenticated";

const httpStatusOf: Record<ConnectCode, number> = {
  canceled: 499,
  unknown: 500,
  invalid_argument: 400,
  deadline_exceeded: 504,
  not_found: 404,
  already_exists: 409,
  permission_denied: 403,
  resource_exhausted: 429,
  failed_precondition: 400,
  aborted: 409,
  out_of_range: 400,
  unimplemented: 501,
  internal: 500,
  unavailable: 503,
  data_loss: 500,
  unauthenticated: 401,
};

/**
 * An envd RPC failure as the Connect protocol carries it. The SDK maps the code to
 * its own errors (`not_found` to `NotFoundError`, `already_exists` to `makeDir`
 * answering false, ...), so the code matters more than the message.
 */
export class ConnectRpcError extends Error {
  constructor(
    readonly code: ConnectCode,
    message: string,
  ) {
    super(message);
    this.name = "ConnectRpcError";
  }

  /** The HTTP status of a unary error response with this code. */
  get httpStatus(): number {
    return httpStatusOf[this.code];
  }

  /** The wire form: the body of a unary error, or the `error` of an end-of-stream. */
  toJSON(): { code: ConnectCode; message: string } {
    return { code: this.code, message: this.message };
  }

  /** Any thrown value as a Connect error: bad requests are the caller's, the rest ours. */
  static from(error: unknown): ConnectRpcError {
    if (error instanceof ConnectRpcError) return error;
    if (error instanceof ZodError || error instanceof SyntaxError) {
      return new ConnectRpcError("invalid_argument", `invalid request: ${error.message}`);
    }
    return new ConnectRpcError("internal", error instanceof Error ? error.message : String(error));
  }
}
