import { parseShipCommand } from "../commands/parse-ship-command.js";
import { percentile } from "./percentile.js";
import { worstCaseComments } from "./worst-case-comments.js";

/**
 * How long Ship's event loop can be held by one comment: for each worst-case comment the
 * median of `parses` parses, and the slowest of those medians.
 */
export function measureParseWorstCase(parses = 5): { ms: number; name: string } {
  let slowest = { ms: 0, name: "" };
  for (const { name, body } of worstCaseComments) {
    const times: number[] = [];
    for (let i = 0; i < parses; i++) {
      const started = performance.now();
      parseShipCommand(body);
      times.push(performance.now() - started);
    }
    const ms = percentile(times, 50);
    if (ms > slowest.ms) slowest = { ms, name };
  }
  return slowest;
}
