import type { Sandbox } from "e2b";
import { gitBlobSha } from "./git-blob-sha.js";
import { PushError } from "./push-error.js";
import { readBlobSizes } from "./read-blob-sizes.js";
import { runInSandbox } from "./run-in-sandbox.js";
import { shellCommand } from "./shell-command.js";

/** Blobs of the sandbox's clone, copied out as files so they can be read as bytes. */
export interface SandboxBlobs {
  /**
   * Writes these blobs (by id) into a scratch directory in the sandbox, after checking
   * with git that each is a blob of at most `maxBlobBytes`.
   */
  export(shas: readonly string[]): Promise<void>;
  /** An exported blob's size, as git said before the export. */
  size(sha: string): number | undefined;
  /**
   * The bytes of an exported blob, checked against its id; the read stops as soon as more
   * bytes arrive than git said (or than `maxBlobBytes`), so a swapped file costs no memory.
   */
  read(sha: string): Promise<Uint8Array>;
  /** Removes the scratch directory; never throws. */
  close(): Promise<void>;
}

// bash receives the whole script as one argument, which Linux caps at 128 KiB; ~120
// bytes per blob keeps a batch far below that.
const batchSize = 400;
const sha1 = /^[0-9a-f]{40}$/;
/** GitHub refuses files over 100 MB; Ship never reads a bigger one into memory. */
export const maxBlobBytes = 100 * 1024 * 1024;

/**
 * Blob contents come from git's object store (`git cat-file blob`), not from the work
 * tree: the work tree holds only the newest version of a file (a file changed by two
 * commits needs both), may hold edits not committed yet, and a symlink's blob is its
 * target, which reading the path would follow. Command output arrives as text, so each
 * blob goes to a file named by its id and comes back with `files.read` as bytes.
 */
export function openSandboxBlobs(params: {
  sandbox: Pick<Sandbox, "commands" | "files">;
  repoDir: string;
  signal?: AbortSignal;
}): SandboxBlobs {
  const { sandbox, repoDir, signal } = params;
  let dir: string | undefined;
  const optional = signal ? { signal } : {};
  const sizes = new Map<string, number>();
  return {
    async export(shas) {
      for (let start = 0; start < shas.length; start += batchSize) {
        const batch = shas.slice(start, start + batchSize);
        for (const sha of batch) if (!sha1.test(sha)) throw new Error(`not a blob id: ${sha}`);
        for (const [sha, size] of await readBlobSizes({ sandbox, repoDir, shas: batch, signal })) {
          if (size > maxBlobBytes) {
            throw new PushError({
              kind: "unsupported",
              message: `A changed file (blob ${sha.slice(0, 7)}) is ${size} bytes, over the ${maxBlobBytes} GitHub takes; Ship did not read it.`,
            });
          }
          sizes.set(sha, size);
        }
        // The first batch makes the directory and prints its name; it is only ever used
        // quoted, as "$d".
        const setup = dir
          ? `d=${shellCommand([dir])}`
          : `d="$(mktemp -d -t ship-push.XXXXXXXX)" && printf '%s\\n' "$d"`;
        const copies = batch.map(
          (sha) => `${shellCommand(["git", "cat-file", "blob", sha])} > "$d/${sha}"`,
        );
        const output = await runInSandbox({
          sandbox,
          cwd: repoDir,
          script: [setup, ...copies].join(" && "),
          doing: `read ${shas.length} changed file(s) from git`,
          ...optional,
        });
        if (!dir) dir = output.split("\n")[0]?.trim() || undefined;
        if (!dir) throw new Error("mktemp in the sandbox printed no directory");
      }
    },
    size: (sha) => sizes.get(sha),
    async read(sha) {
      const expected = sizes.get(sha);
      if (!dir || !sha1.test(sha) || expected === undefined)
        throw new Error(`blob ${sha} was not exported`);
      let bytes: Uint8Array;
      try {
        const stream = await sandbox.files.read(`${dir}/${sha}`, { format: "stream", ...optional });
        bytes = await readAtMost(stream, expected);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (error instanceof PushError) throw error;
        throw new PushError({
          kind: "sandbox",
          message: `Ship could not read a changed file (blob ${sha.slice(0, 7)}) from the sandbox: ${String(error)}`,
          retryable: true,
          cause: error,
        });
      }
      // The sandbox runs untrusted code that could swap the file: push only what git said.
      if (gitBlobSha(bytes) !== sha) {
        throw new PushError({
          kind: "corrupt",
          message: `A changed file read from the sandbox does not match its git blob ${sha.slice(0, 7)}; Ship did not push it.`,
        });
      }
      return bytes;
    },
    async close() {
      if (!dir) return;
      const script = shellCommand(["rm", "-rf", "--", dir]);
      dir = undefined;
      // No abort signal: cleaning up must run even when the push was cancelled.
      await sandbox.commands.run(script, { requestTimeoutMs: 10_000 }).catch(() => undefined);
    },
  };
}

/** The stream's bytes, of which there must be exactly `size`; stops reading past it. */
async function readAtMost(stream: ReadableStream<Uint8Array>, size: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(size);
  let length = 0;
  const reader = stream.getReader();
  let complete = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        complete = true;
        break;
      }
      if (length + value.length > size) {
        throw new PushError({
          kind: "corrupt",
          message: `A changed file read from the sandbox is longer than the ${size} bytes git said; Ship stopped reading it.`,
        });
      }
      bytes.set(value, length);
      length += value.length;
    }
  } finally {
    // The e2b SDK's stream may never settle `cancel()` once it has ended, so a read to the
    // end only lets go, and a refused one cancels without waiting for it.
    if (complete) reader.releaseLock();
    else void reader.cancel().catch(() => undefined);
  }
  return length === size ? bytes : bytes.subarray(0, length);
}
