/**
 * One Server-Sent Events frame. EventSource ends a line at CR, LF or CRLF alike, so
 * `data` is split on all three: each piece becomes its own `data:` line, which the
 * browser joins back with LF. Split on LF alone, a CR in a log entry would start a
 * line of the attacker's choosing (`event: end`, `id: …`) inside the frame.
 */
export function formatServerSentEvent(event: string, data: string, id?: number): string {
  const lines = data.split(/\r\n|\r|\n/).map((line) => `data: ${line}`);
  return `${id === undefined ? "" : `id: ${id}\n`}event: ${event}\n${lines.join("\n")}\n\n`;
}
