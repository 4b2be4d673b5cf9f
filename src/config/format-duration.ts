const units = [
  ["h", 3_600_000],
  ["m", 60_000],
  ["s", 1_000],
] as const;

/**
 * A duration as a person writes it in `.github/ship.yml` or SHIP_RUN_TIMEOUT: the
 * largest unit that divides it (7 200 000 ms is "2h", 90 000 ms is "90s").
 */
export function formatDuration(ms: number): string {
  for (const [unit, size] of units) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return ms < 1_000 ? `${ms}ms` : `${Math.round(ms / 1_000)}s`;
}
