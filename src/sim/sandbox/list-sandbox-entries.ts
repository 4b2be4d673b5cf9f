import { ApiError } from "./api-error.js";
import type { SandboxEntry } from "./create-sandbox-registry.js";

/** One page of `GET /v2/sandboxes`. */
interface SandboxPage {
  entries: SandboxEntry[];
  /** The `X-Next-Token` for the page after this one; undefined on the last. */
  nextToken: string | undefined;
  /** `X-Total-Running`: running matches before paging; only when running ones were asked for. */
  totalRunning: number | undefined;
}

const states = ["running", "paused"] as const;
const maxLimit = 100;

/**
 * `GET /v2/sandboxes` over `entries`, with the query parameters E2B's description
 * and SDK use: `metadata` (`k=v&...`, each part URI-encoded), `state` (comma-separated;
 * default both), `startedAfter` (inclusive), `template` (id or alias), `order` by
 * start time (`desc` default), `limit` (1-100, default 100) and `nextToken`. The
 * token is a cursor, the last entry's start time and id, so a page after a sandbox
 * was created or killed neither repeats nor skips one. Bad values are a 400.
 */
export function listSandboxEntries(
  entries: readonly SandboxEntry[],
  query: URLSearchParams,
): SandboxPage {
  const wanted = metadataFilter(query.get("metadata"));
  const wantedStates = parseStates(query.get("state"));
  const startedAfter = parseDate(query.get("startedAfter"), "startedAfter");
  const template = query.get("template") || undefined;
  const order = query.get("order") ?? "desc";
  if (order !== "asc" && order !== "desc") {
    throw new ApiError(400, `invalid order '${order}': asc or desc`);
  }
  const limit = parseLimit(query.get("limit"));
  const after = parseCursor(query.get("nextToken"));

  const matching = entries
    .filter(({ sandbox, alias }) => {
      if (!wantedStates.has(sandbox.paused ? "paused" : "running")) return false;
      if (startedAfter && sandbox.startedAt.getTime() < startedAfter.getTime()) return false;
      if (template && !sameTemplate(template, sandbox.templateId, alias)) return false;
      return Object.entries(wanted).every(([key, value]) => sandbox.metadata[key] === value);
    })
    .sort((a, b) => compare(keyOf(a), keyOf(b)) * (order === "asc" ? 1 : -1));
  const rest = after
    ? matching.filter((entry) => compare(keyOf(entry), after) * (order === "asc" ? 1 : -1) > 0)
    : matching;
  const page = rest.slice(0, limit);
  const last = page.at(-1);
  return {
    entries: page,
    nextToken: rest.length > limit && last ? encodeCursor(keyOf(last)) : undefined,
    totalRunning: wantedStates.has("running")
      ? matching.filter((entry) => !entry.sandbox.paused).length
      : undefined,
  };
}

type Key = [startedAtMs: number, id: string];

function keyOf({ sandbox }: SandboxEntry): Key {
  return [sandbox.startedAt.getTime(), sandbox.id];
}

function compare(a: Key, b: Key): number {
  if (a[0] !== b[0]) return a[0] - b[0];
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

function encodeCursor(key: Key): string {
  return Buffer.from(`${key[0]}:${key[1]}`).toString("base64url");
}

function parseCursor(token: string | null): Key | undefined {
  if (!token) return undefined;
  const match = /^(\d+):([a-z0-9]+)$/.exec(Buffer.from(token, "base64url").toString("utf8"));
  if (!match) throw new ApiError(400, `invalid nextToken '${token}'`);
  return [Number(match[1]), match[2] ?? ""];
}

function parseStates(raw: string | null): Set<string> {
  if (!raw) return new Set(states);
  const asked = raw.split(",").filter(Boolean);
  for (const state of asked) {
    if (!(states as readonly string[]).includes(state)) {
      throw new ApiError(400, `invalid state '${state}': running or paused`);
    }
  }
  return new Set(asked);
}

function parseDate(raw: string | null, name: string): Date | undefined {
  if (!raw) return undefined;
  const date = new Date(raw);
  if (Number.isNaN(date.getTime())) throw new ApiError(400, `invalid ${name} '${raw}'`);
  return date;
}

function parseLimit(raw: string | null): number {
  if (raw === null || raw === "") return maxLimit;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
    throw new ApiError(400, `invalid limit '${raw}': an integer from 1 to ${maxLimit}`);
  }
  return limit;
}

/** A template named by id or alias; `namespace/` and `:tag` may qualify it. */
function sameTemplate(asked: string, templateId: string, alias: string | undefined): boolean {
  const untagged = asked.includes(":") ? asked.slice(0, asked.lastIndexOf(":")) : asked;
  const bare = untagged.slice(untagged.indexOf("/") + 1);
  return [asked, untagged, bare].some((name) => name === templateId || name === alias);
}

/**
 * The SDK sends `metadata` as a query string of its own, `key=value&...`, each key and
 * value URI-encoded before the whole is encoded again as one parameter.
 */
function metadataFilter(raw: string | null): Record<string, string> {
  if (!raw) return {};
  const filter: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(raw)) filter[decode(key)] = decode(value);
  return filter;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
