/**
 * The fake's notion of time. Tests move it forward to expire tokens and codes without
 * waiting; responses carry it in the `Date` header, which is how Octokit's app auth
 * corrects its JWTs for clock skew, so real clients keep working after a jump.
 */
export class SimClock {
  private offsetMs = 0;

  /** Milliseconds since the epoch, shifted by what `advance` added. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Now as GitHub writes timestamps: ISO 8601 without milliseconds. */
  iso(at = this.now()): string {
    return `${new Date(at).toISOString().slice(0, 19)}Z`;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
