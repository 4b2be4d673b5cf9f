/** What a matching request gets instead of (or before) its normal answer. */
export type FaultEffect =
  /** Only wait, then answer normally. */
  | { type: "latency"; ms: number }
  /** Answer with this status (5xx usually) and a GitHub-shaped body. */
  | { type: "status"; status: number; message?: string }
  /** 403 with `x-ratelimit-remaining: 0` and `x-ratelimit-reset`, as GitHub's primary limit. */
  | { type: "primary-rate-limit"; resetInSeconds?: number }
  /** 403 (or 429) with `retry-after`, as GitHub's secondary (abuse) limit. */
  | { type: "secondary-rate-limit"; status?: 403 | 429; retryAfterSeconds?: number };

/** Which requests a fault hits, what it does, and how often. */
export interface FaultRule {
  /** HTTP method; any when left out. */
  method?: string;
  /** Tested against the path (`/api/v3/repos/o/r/pulls`, `/o/r.git/git-receive-pack`). */
  path: RegExp | string;
  effect: FaultEffect;
  /** Extra wait before the effect (on top of a `latency` effect's own). */
  delayMs?: number;
  /** How many requests it hits before it stops; forever when left out. */
  times?: number;
}

/** An active fault: how often it has hit, and a way to lift it. */
export interface Fault {
  id: number;
  rule: FaultRule;
  hits: number;
  remove(): void;
}

/**
 * Fault injection for reliability tests: rules matched by method and path, applied in
 * the order they were added, each for N requests or until removed.
 */
export class FaultInjector {
  private readonly faults: Fault[] = [];
  private nextId = 1;

  add(rule: FaultRule): Fault {
    const fault: Fault = {
      id: this.nextId++,
      rule,
      hits: 0,
      remove: () => this.remove(fault.id),
    };
    this.faults.push(fault);
    return fault;
  }

  remove(id: number): void {
    const index = this.faults.findIndex((fault) => fault.id === id);
    if (index >= 0) this.faults.splice(index, 1);
  }

  clear(): void {
    this.faults.length = 0;
  }

  /** Active faults, oldest first. */
  list(): readonly Fault[] {
    return [...this.faults];
  }

  /** The fault that hits this request, counted as a hit (and dropped when used up). */
  take(method: string, path: string): Fault | undefined {
    const fault = this.faults.find(
      (candidate) =>
        (candidate.rule.method === undefined ||
          candidate.rule.method.toUpperCase() === method.toUpperCase()) &&
        (typeof candidate.rule.path === "string"
          ? new RegExp(candidate.rule.path).test(path)
          : candidate.rule.path.test(path)),
    );
    if (!fault) return undefined;
    fault.hits++;
    if (fault.rule.times !== undefined && fault.hits >= fault.rule.times) this.remove(fault.id);
    return fault;
  }
}
