/**
 * Ship's `ship_run_step_seconds` sums from its `/metrics` page: seconds spent so far in
 * each step of its runs (prepare, sandbox_create, clone, opencode_start, agent, ...).
 */
export async function readStepSeconds(shipUrl: string): Promise<Record<string, number>> {
  const response = await fetch(`${shipUrl}/metrics`);
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  const steps: Record<string, number> = {};
  for (const match of (await response.text()).matchAll(
    /^ship_run_step_seconds_sum\{step="([a-z_]+)"\} (\S+)$/gm,
  )) {
    steps[match[1] as string] = Number(match[2]);
  }
  return steps;
}
