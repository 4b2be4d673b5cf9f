/** One server-sent event as it went over the wire. */
export interface WireEvent {
  event?: string;
  /** The `data:` payload parsed as JSON, or the raw text (`[DONE]`). */
  data: unknown;
}

/**
 * Splits an SSE body into its events (blank-line separated; `event:` and `data:`
 * fields, multi-line data joined by newlines, as the SSE spec says). Throws on a line
 * that is neither, so a malformed stream fails the contract.
 */
export function readSse(text: string): WireEvent[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "")
    .map((block) => {
      let event: string | undefined;
      const data: string[] = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).replace(/^ /, ""));
        else if (!line.startsWith(":")) throw new Error(`Not an SSE field: ${line}`);
      }
      const joined = data.join("\n");
      let parsed: unknown = joined;
      try {
        parsed = JSON.parse(joined);
      } catch {
        // `[DONE]` and other plain text stay strings.
      }
      return event === undefined ? { data: parsed } : { event, data: parsed };
    });
}
