import type { Actor } from "../auth/actor.js";
import type { SimClock } from "../sim-clock.js";

/** One identity's hourly budget for one resource, as the `x-ratelimit-*` headers show it. */
export interface RateLimitWindow {
  limit: number;
  used: number;
  /** Seconds since the epoch when the window starts over. */
  reset: number;
  resource: string;
}

/**
 * GitHub's primary rate limit: every authenticated identity (installation, user, app)
 * has an hourly budget per resource (`core`, `graphql`); anonymous callers get 60.
 */
export class RateLimiter {
  private readonly windows = new Map<string, RateLimitWindow>();

  constructor(
    private readonly clock: SimClock,
    private readonly limit: number,
  ) {}

  /** Counts one request; `exceeded` when the budget was already spent. */
  consume(actor: Actor, resource: string): { window: RateLimitWindow; exceeded: boolean } {
    const window = this.window(actor, resource);
    if (window.used >= window.limit) return { window, exceeded: true };
    window.used++;
    return { window, exceeded: false };
  }

  /** Gives one request back: GitHub does not count an answer of 304 Not Modified. */
  refund(actor: Actor, resource: string): void {
    const window = this.window(actor, resource);
    window.used = Math.max(0, window.used - 1);
  }

  /** The current window without counting (for `GET /rate_limit`). */
  window(actor: Actor, resource: string): RateLimitWindow {
    const key = `${identity(actor)}|${resource}`;
    const now = Math.floor(this.clock.now() / 1000);
    let window = this.windows.get(key);
    if (!window || window.reset <= now) {
      window = {
        limit: actor.type === "anonymous" ? 60 : this.limit,
        used: 0,
        reset: now + 3600,
        resource,
      };
      this.windows.set(key, window);
    }
    return window;
  }
}

function identity(actor: Actor): string {
  switch (actor.type) {
    case "anonymous":
      return "anonymous";
    case "app":
      return `app:${actor.app.id}`;
    case "installation":
      return `installation:${actor.installation.id}`;
    case "user":
      return `user:${actor.user.id}`;
  }
}
