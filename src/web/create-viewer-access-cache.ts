import { readViewerAccess } from "./read-viewer-access.js";

/** Reads a visitor's access to a repository's run pages (`readViewerAccess`'s shape). */
export type ReadViewerAccess = typeof readViewerAccess;

/**
 * Long enough that reloading a page, its live stream and the history cost GitHub one
 * call, short enough that a person removed from a private repository loses its pages soon.
 */
const defaultTtlMs = 30_000;
/** Keys come from runs and signed sessions; the cap only bounds memory in the worst case. */
const defaultMaxEntries = 10_000;

/**
 * `readViewerAccess` remembered per installation, repository and person (or anonymous)
 * for a short while, so page views cost GitHub at most one call per TTL each: without it
 * anyone reloading a public run spends the installation's API quota, and permission
 * checks then fail closed for everyone. Concurrent views share the call in flight.
 */
export function createViewerAccessCache(
  options: {
    ttlMs?: number;
    maxEntries?: number;
    now?: () => number;
    read?: ReadViewerAccess;
  } = {},
): ReadViewerAccess {
  const ttlMs = options.ttlMs ?? defaultTtlMs;
  const maxEntries = options.maxEntries ?? defaultMaxEntries;
  const now = options.now ?? Date.now;
  const read = options.read ?? readViewerAccess;
  const entries = new Map<string, { until: number; access: ReturnType<ReadViewerAccess> }>();
  return (params) => {
    const person = params.session ? `${params.session.userId}:${params.session.login}` : "";
    // By id when known: two repositories may have had the same name (a rename).
    const repository = params.repositoryId ?? params.repository;
    const key = JSON.stringify([params.installationId, repository, person]);
    const cached = entries.get(key);
    if (cached && cached.until > now()) return cached.access;
    entries.delete(key);
    if (entries.size >= maxEntries) {
      // Oldest first (insertion order); expired entries go before live ones.
      for (const [old, entry] of entries) if (entry.until <= now()) entries.delete(old);
      const oldest = entries.keys().next();
      if (entries.size >= maxEntries && !oldest.done) entries.delete(oldest.value);
    }
    const access = read(params);
    entries.set(key, { until: now() + ttlMs, access });
    // A failed read, or an answer GitHub's passing trouble made (`transient`), is not
    // remembered: the next view asks again. Only this read's entry goes (a newer one may
    // have taken the key since).
    const forget = () => {
      if (entries.get(key)?.access === access) entries.delete(key);
    };
    access.then((answer) => {
      if ("transient" in answer && answer.transient) forget();
    }, forget);
    return access;
  };
}
