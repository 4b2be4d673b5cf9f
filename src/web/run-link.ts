/** The run's page under Ship's public address: its live log, outcome and buttons. */
export function runLink(publicUrl: string, runId: number): string {
  return `${publicUrl}/runs/${runId}`;
}
