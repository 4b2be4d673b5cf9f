import { ConnectRpcError } from "./connect-rpc-error.js";

/** A filesystem error as envd reports it, naming the sandbox path rather than the host's. */
export function fsErrorToConnect(error: unknown, sandboxPath: string): ConnectRpcError {
  if (error instanceof ConnectRpcError) return error;
  switch ((error as NodeJS.ErrnoException).code) {
    case "ENOENT":
      return new ConnectRpcError("not_found", `file not found: ${sandboxPath}`);
    case "ENOTDIR":
      return new ConnectRpcError("invalid_argument", `path is not a directory: ${sandboxPath}`);
    case "EEXIST":
      return new ConnectRpcError("already_exists", `path already exists: ${sandboxPath}`);
    case "EISDIR":
      return new ConnectRpcError("invalid_argument", `path is a directory: ${sandboxPath}`);
    case "EACCES":
    case "EPERM":
      return new ConnectRpcError("permission_denied", `permission denied: ${sandboxPath}`);
    default:
      return new ConnectRpcError(
        "internal",
        `error on ${sandboxPath}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      );
  }
}
