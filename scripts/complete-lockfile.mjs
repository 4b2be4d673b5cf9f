// The npm registry reachable from our build machines serves only linux-x64 builds of
// platform-specific packages (opencode-*, @biomejs/cli-*, ...), so `npm install` here
// writes a lockfile without the other platforms' optional entries, and `npm ci` then
// refuses it as "out of sync". This adds those entries back (version, os, cpu, libc:
// what npm needs to skip them), as a lockfile made elsewhere would have them.
// Run after `npm install` changes dependencies: node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from "node:fs";

const path = "package-lock.json";
const lock = JSON.parse(readFileSync(path, "utf8"));
const packages = lock.packages;
const oses = ["darwin", "linux", "win32", "windows", "android", "freebsd", "openharmony"];
const cpus = ["arm64", "x64", "ia32", "arm", "loong64", "ppc64", "riscv64", "s390x"];
let added = 0;
for (const [key, entry] of Object.entries(packages)) {
  for (const [dep, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const top = `node_modules/${dep}`;
    if (packages[top] || packages[`${key}/node_modules/${dep}`]) continue;
    const name = dep.split("/").pop();
    const os = oses.find((o) => name.includes(o));
    const cpu = cpus.find((c) => new RegExp(`(^|-)${c}($|-)`).test(name));
    const missing = { version, optional: true };
    if (entry.dev) missing.dev = true;
    if (os) missing.os = [os === "windows" ? "win32" : os];
    if (cpu) missing.cpu = [cpu];
    if (name.includes("musl")) missing.libc = ["musl"];
    else if (os === "linux") missing.libc = ["glibc"];
    packages[top] = missing;
    added++;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : 1)),
);
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`added ${added} optional platform entries to ${path}`);
