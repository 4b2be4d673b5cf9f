import { readFileSync } from "node:fs";
import path from "node:path";

/** One request and answer that Octokit recorded against api.github.com. */
export interface RecordedExchange {
  method: string;
  /** Path and query as sent, e.g. `/repos/octokit-fixture-org/labels/labels`. */
  path: string;
  /** The JSON (or text) sent; `""` when nothing was. */
  body: unknown;
  status: number;
  /** The JSON (or text) answered. */
  response: unknown;
  reqheaders: Record<string, string | number>;
  headers: Record<string, string | number>;
}

/**
 * A scenario of `@octokit/fixtures` (`scenarios/api.github.com/<name>`), normalized by
 * Octokit: ids count from 1000, shas are `000…1`, dates are 2017-10-10. Read
 * synchronously: test tables are built when the test file loads.
 */
export function loadRecordedScenario(name: string): RecordedExchange[] {
  // The package exports no path to its scenarios; the tests run from the repository root.
  const file = path.resolve(
    "node_modules/@octokit/fixtures/scenarios/api.github.com",
    name,
    "normalized-fixture.json",
  );
  return JSON.parse(readFileSync(file, "utf8")) as RecordedExchange[];
}
