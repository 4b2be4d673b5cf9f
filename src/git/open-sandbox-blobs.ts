import type { Sandbox } from "e2b";
import { gitBlobSha } from "./git-blob-sha.js";
import { PushError } from "./push-error.js";
import { runInSandbox } from "./run-in-sandbox.js";
import { shellCommand } from "./shell-command.js";

/** Blobs of the sandbox's clone, copied out as files so they can be read as bytes. */
export interface SandboxBlobs {
  /** Writes these blobs (by id) into a scratch directory in the sandbox. */
  export(shas: readonly string[]): Promise<void>;
  /** The bytes of an exported blob, checked against its id. */
  read(sha: string): Promise<Uint8Array>;
  /** Removes the scratch directory; never throws. */
  close(): Promise<void>;
}

// bash receives the whole script as one argument, which Linux caps at 128 KiB; ~120
// bytes per blob keeps a batch far below that.
const batchSize = 400;
const sha1 = /^[0-9a-f]{40}$/;

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
  return {
    async export(shas) {
      for (let start = 0; start < shas.length; start += batchSize) {
        const batch = shas.slice(start, start + batchSize);
        for (const sha of batch) if (!sha1.test(sha)) throw new Error(`not a blob id: ${sha}`);
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
    async read(sha) {
      if (!dir || !sha1.test(sha)) throw new Error(`blob ${sha} was not exported`);
      let bytes: Uint8Array;
      try {
        bytes = await sandbox.files.read(`${dir}/${sha}`, { format: "bytes", ...optional });
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
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
