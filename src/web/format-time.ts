/** A time of day in UTC, to the second, in a `<time>` element carrying the full instant. */
export function formatTime(at: Date): string {
  return `<time datetime="${at.toISOString()}">${at.toISOString().slice(11, 19)}</time>`;
}

/** A length of time in plain words: "0.4 s", "12 s", "3 min 5 s", "1 h 2 min". */
export function formatSeconds(seconds: number): string {
  if (seconds < 10) return `${Math.round(seconds * 10) / 10} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${Math.round(seconds % 60)} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
