import { createRequire } from "node:module";

interface ExampleGroup {
  name: string;
  examples: Array<Record<string, unknown> & { action?: string }>;
}

const require = createRequire(import.meta.url);

/**
 * A real webhook payload from `@octokit/webhooks-examples` for `event` (and `action`),
 * deep-copied so a test can retarget it. `pick` chooses among several examples.
 */
export function webhookExample<T = Record<string, unknown>>(
  event: string,
  action?: string,
  pick: (example: Record<string, unknown>) => boolean = () => true,
): T {
  const groups = require("@octokit/webhooks-examples") as ExampleGroup[];
  const group = groups.find((g) => g.name === event);
  const example = group?.examples.find(
    (e) => (action === undefined || e.action === action) && pick(e),
  );
  if (!example) throw new Error(`no example payload for ${event}.${action}`);
  return structuredClone(example) as T;
}
