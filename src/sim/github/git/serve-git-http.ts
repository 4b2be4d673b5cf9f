import { spawn } from "node:child_process";
import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Answers one smart-HTTP git request by running `git http-backend` as a CGI program:
 * the request body streams into it, its CGI headers become the HTTP status and headers,
 * the rest streams back. Resolves when git has exited (a push's refs are then written).
 */
export function serveGitHttp(params: {
  req: IncomingMessage;
  res: ServerResponse;
  /** GIT_PROJECT_ROOT. */
  root: string;
  home: string;
  /** `/<owner>/<name>.git/info/refs` and so on, below the root. */
  pathInfo: string;
  query: string;
  /** Who is pushing: http-backend only accepts receive-pack from an authenticated user. */
  remoteUser: string | null;
  /**
   * Runs after git exits and before the response ends, so a client whose push returned
   * sees what the push changed (pull request heads) in the API.
   */
  beforeEnd?: () => Promise<void>;
}): Promise<{ code: number }> {
  const { req, res } = params;
  return new Promise((resolve) => {
    const header = (name: string) => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(", ") : (value ?? "");
    };
    const child = spawn("git", ["http-backend"], {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: params.home,
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_PROJECT_ROOT: params.root,
        GIT_HTTP_EXPORT_ALL: "1",
        PATH_INFO: params.pathInfo,
        QUERY_STRING: params.query,
        REQUEST_METHOD: req.method ?? "GET",
        CONTENT_TYPE: header("content-type"),
        // Without a length http-backend reads the (chunked) body to its end.
        ...(req.headers["content-length"] ? { CONTENT_LENGTH: header("content-length") } : {}),
        HTTP_CONTENT_ENCODING: header("content-encoding"),
        HTTP_GIT_PROTOCOL: header("git-protocol"),
        REMOTE_ADDR: req.socket.remoteAddress ?? "127.0.0.1",
        ...(params.remoteUser ? { REMOTE_USER: params.remoteUser } : {}),
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.stdin.on("error", () => {}); // git may answer (e.g. 403) before reading the body
    req.pipe(child.stdin);

    let head = Buffer.alloc(0);
    let headersSent = false;
    child.stdout.on("data", (chunk: Buffer) => {
      if (headersSent) {
        res.write(chunk);
        return;
      }
      head = Buffer.concat([head, chunk]);
      const crlf = head.indexOf("\r\n\r\n");
      const lf = head.indexOf("\n\n");
      const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf : lf;
      if (end < 0) return;
      const separator = end === crlf ? 4 : 2;
      let status = 200;
      for (const line of head.subarray(0, end).toString("latin1").split(/\r?\n/)) {
        const colon = line.indexOf(":");
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === "status") status = Number.parseInt(value, 10) || 500;
        else res.setHeader(name, value);
      }
      res.statusCode = status;
      headersSent = true;
      const rest = head.subarray(end + separator);
      if (rest.length > 0) res.write(rest);
    });
    let finished = false;
    const finish = async (code: number, failure?: string) => {
      if (finished) return;
      finished = true;
      if (!headersSent) {
        res.statusCode = 500;
        res.setHeader("content-type", "text/plain");
        res.write(`git http-backend failed: ${failure ?? stderr}`);
      }
      await params.beforeEnd?.().catch(() => {});
      res.end();
      resolve({ code });
    };
    child.on("close", (code) => void finish(code ?? -1));
    child.on("error", (error) => void finish(-1, String(error)));
  });
}
