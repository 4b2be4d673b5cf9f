import type { DebianPackage } from "./read-debian-packages.js";

/**
 * The installed packages `wanted` needs, with everything they depend on and the
 * machine's essential packages (what every Debian image has), as apt would install
 * them. An alternative (`a | b`) or virtual package is met by the first installed
 * provider. `missing` names wanted packages this machine does not have.
 */
export function resolvePackageClosure(
  installed: ReadonlyMap<string, DebianPackage>,
  wanted: readonly string[],
): { packages: DebianPackage[]; missing: string[] } {
  const providers = new Map<string, DebianPackage>();
  for (const pkg of installed.values()) {
    for (const virtual of pkg.provides) if (!providers.has(virtual)) providers.set(virtual, pkg);
  }
  const find = (name: string) => installed.get(name) ?? providers.get(name);
  const chosen = new Map<string, DebianPackage>();
  const pending: DebianPackage[] = [...installed.values()].filter((pkg) => pkg.essential);
  const missing: string[] = [];
  for (const name of wanted) {
    const pkg = find(name);
    if (pkg) pending.push(pkg);
    else missing.push(name);
  }
  for (let pkg = pending.pop(); pkg; pkg = pending.pop()) {
    if (chosen.has(pkg.name)) continue;
    chosen.set(pkg.name, pkg);
    for (const alternatives of pkg.depends) {
      const met = alternatives.map(find).find((found) => found !== undefined);
      if (met && !chosen.has(met.name)) pending.push(met);
    }
  }
  return {
    packages: [...chosen.values()].sort((a, b) => a.name.localeCompare(b.name)),
    missing,
  };
}
