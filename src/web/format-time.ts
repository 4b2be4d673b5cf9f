/** A time of day in UTC, to the second, in a `<time>` element carrying the full instant. */
export function formatTime(at: Date): string {
  return `<time datetime="${at.toISOString()}">${at.toISOString().slice(11, 19)}</time>`;
}

/** A length of time in plain words: "0.4 s", "12 s", "3 min 5 s", "1 h 2 min". */
export function formatSeconds(seconds: number): string {
  if (seconds < 9.95) return `${Math.round(seconds * 10) / 10} s`;
  // Rounded once, before splitting, so no "1 min 60 s".
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  if (minutes < 60) return `${minutes} min ${whole % 60} s`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
