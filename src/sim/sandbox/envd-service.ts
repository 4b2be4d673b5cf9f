import type { LocalSandbox } from "./create-local-sandbox.js";
import type { ConnectStream } from "./serve-connect-stream.js";

/**
 * One envd Connect service (`process.Process`, `filesystem.Filesystem`): its unary
 * and server-streaming methods by name. Handlers get the request message as JSON and
 * throw `ConnectRpcError`s; parsing the message is theirs.
 */
export interface EnvdService {
  unary: Record<string, (message: unknown, sandbox: LocalSandbox) => Promise<unknown> | unknown>;
  stream: Record<
    string,
    (message: unknown, stream: ConnectStream, sandbox: LocalSandbox) => Promise<void> | void
  >;
}
