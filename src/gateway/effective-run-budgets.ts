import type { Budget } from "../config/budget.js";

/**
 * The limits a run's model calls are held to. The operator's SHIP_RUN_BUDGET is a
 * maximum: a repository's `budget:` (from its own `.github/ship.yml`, which any writer
 * edits) may only lower it. In the same unit the smaller one applies; in different
 * units both do, since neither can be converted into the other.
 */
export function effectiveRunBudgets(
  operator: Budget | undefined,
  repository: Budget | undefined,
): Budget[] {
  if (!operator) return repository ? [repository] : [];
  if (!repository) return [operator];
  if (operator.kind === repository.kind) {
    return [{ kind: operator.kind, amount: Math.min(operator.amount, repository.amount) }];
  }
  return [operator, repository];
}
