import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip } from "node:zlib";
import busboy from "busboy";
import type { LocalSandbox } from "./create-local-sandbox.js";
import { resolveSandboxPath } from "./resolve-sandbox-path.js";

/** envd's answer to a written file: `POST /files` returns a list of these. */
interface WrittenEntry {
  name: string;
  type: "file";
  path: string;
}

class FilesError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * envd's `/files`: `GET ?path=` downloads a file; `POST ?path=` uploads, either
 * `multipart/form-data` (field `file`; without `path`, each part's filename is its
 * path) or a raw `application/octet-stream` body (gzip allowed). Parent directories
 * are created. Errors are `{code, message}` with envd's statuses: 404 missing, 400 a
 * directory or a bad request.
 */
export async function serveFiles(
  req: IncomingMessage,
  res: ServerResponse,
  sandbox: LocalSandbox,
): Promise<void> {
  const query = new URL(req.url ?? "/", "http://envd").searchParams;
  try {
    if (req.method === "GET") return await download(res, sandbox, query.get("path") ?? "");
    if (req.method === "POST") {
      const written = await upload(req, sandbox, query.get("path") ?? undefined);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(written));
      return;
    }
    throw new FilesError(405, `method ${req.method} not allowed`);
  } catch (error) {
    const status = error instanceof FilesError ? error.status : 500;
    const message = error instanceof Error ? error.message : String(error);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify({ code: status, message }));
  }
}

async function download(
  res: ServerResponse,
  sandbox: LocalSandbox,
  requested: string,
): Promise<void> {
  const file = await resolveSandboxPath(sandbox.dir, requested);
  const info = await stat(file.hostPath).catch(() => undefined);
  if (!info) throw new FilesError(404, `path '${file.sandboxPath}' does not exist`);
  if (info.isDirectory()) throw new FilesError(400, `path '${file.sandboxPath}' is a directory`);
  res.writeHead(200, {
    "content-type": "application/octet-stream",
    "content-length": String(info.size),
    "last-modified": info.mtime.toUTCString(),
  });
  await pipeline(createReadStream(file.hostPath), res);
}

async function upload(
  req: IncomingMessage,
  sandbox: LocalSandbox,
  requested: string | undefined,
): Promise<WrittenEntry[]> {
  const contentType = req.headers["content-type"] ?? "";
  if (contentType.startsWith("application/octet-stream")) {
    if (requested === undefined) {
      throw new FilesError(400, "path query parameter is required for raw body upload");
    }
    const body = req.headers["content-encoding"] === "gzip" ? req.pipe(createGunzip()) : req;
    return [await writeFile(sandbox, requested, body)];
  }
  if (!contentType.startsWith("multipart/")) {
    throw new FilesError(
      400,
      `unsupported content type: ${contentType}, expected multipart/form-data or application/octet-stream`,
    );
  }
  return new Promise((resolve, reject) => {
    const written: Promise<WrittenEntry>[] = [];
    // preservePath: without `path`, a part's filename is the full destination path.
    const parser = busboy({ headers: req.headers, preservePath: true });
    parser.on("file", (field, stream, info) => {
      if (field !== "file") {
        stream.resume();
        return;
      }
      const target = requested ?? info.filename ?? "";
      const write = writeFile(sandbox, target, stream);
      // A failed part must still be drained, or the rest of the form never arrives.
      write.catch(() => stream.resume());
      written.push(write);
    });
    parser.on("error", (error) =>
      reject(new FilesError(400, `bad multipart body: ${String(error)}`)),
    );
    parser.on("close", () => {
      Promise.all(written)
        .then((entries) => {
          const paths = entries.map((entry) => entry.path);
          const duplicate = paths.find((entry, index) => paths.indexOf(entry) !== index);
          if (duplicate) {
            throw new FilesError(
              400,
              `you cannot upload multiple files to the same path '${duplicate}' in one upload request`,
            );
          }
          resolve(entries);
        })
        .catch(reject);
    });
    req.pipe(parser);
  });
}

async function writeFile(
  sandbox: LocalSandbox,
  requested: string,
  body: Readable,
): Promise<WrittenEntry> {
  const file = await resolveSandboxPath(sandbox.dir, requested);
  const existing = await stat(file.hostPath).catch(() => undefined);
  if (existing?.isDirectory())
    throw new FilesError(400, `path is a directory: ${file.sandboxPath}`);
  await mkdir(path.dirname(file.hostPath), { recursive: true });
  await pipeline(body, createWriteStream(file.hostPath));
  return { name: path.posix.basename(file.sandboxPath), type: "file", path: file.sandboxPath };
}
