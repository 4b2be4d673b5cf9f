import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

/**
 * All refs of a bare repository (`refs/heads/main` -> sha), read from its files rather
 * than by running git: cheap enough to call on every API request. Loose refs win over
 * `packed-refs`, as in git.
 */
export async function readRefs(gitDir: string): Promise<Map<string, string>> {
  const refs = new Map<string, string>();
  const packed = await readFile(path.join(gitDir, "packed-refs"), "utf8").catch(() => "");
  for (const line of packed.split("\n")) {
    const match = /^([0-9a-f]{40}) (refs\/\S+)$/.exec(line);
    if (match) refs.set(match[2] as string, match[1] as string);
  }
  await readLoose(gitDir, "refs", refs);
  return refs;
}

async function readLoose(gitDir: string, relative: string, into: Map<string, string>) {
  const entries = await readdir(path.join(gitDir, relative), { withFileTypes: true }).catch(
    () => [],
  );
  await Promise.all(
    entries.map(async (entry) => {
      const name = `${relative}/${entry.name}`;
      if (entry.isDirectory()) return readLoose(gitDir, name, into);
      if (entry.name.endsWith(".lock")) return;
      const content = (await readFile(path.join(gitDir, name), "utf8").catch(() => "")).trim();
      // A half-written ref (during a push) or a symbolic one is skipped.
      if (/^[0-9a-f]{40}$/.test(content)) into.set(name, content);
    }),
  );
}
