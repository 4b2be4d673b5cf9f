import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/**
 * The real `opencode` binary that npm installed with `opencode-ai`: its platform
 * package (`opencode-linux-x64`, ...) ships it as `bin/opencode`. Undefined when no
 * platform package for this machine is installed.
 */
export function findOpencodeBinary(): string | undefined {
  const require = createRequire(import.meta.url);
  let from: string;
  try {
    from = require.resolve("opencode-ai/package.json");
  } catch {
    return undefined;
  }
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const names = [
    `opencode-${platform}-${process.arch}`,
    `opencode-${platform}-${process.arch}-baseline`,
  ];
  for (const name of names) {
    try {
      const manifest = createRequire(from).resolve(`${name}/package.json`);
      const binary = path.join(path.dirname(manifest), "bin", "opencode");
      if (existsSync(binary)) return binary;
    } catch {}
  }
  return undefined;
}
