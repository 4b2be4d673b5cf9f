import type { SessionSigner } from "./create-session-signer.js";

/** How long a retry link in a status comment keeps working. */
export const retryLinkTtlMs = 7 * 24 * 3_600_000;

/** The signed, expiring link in a failed run's status comment that retries it. */
export function retryLink(signer: SessionSigner, publicUrl: string, runId: number): string {
  return `${publicUrl}/runs/${runId}/retry?token=${signer.sign(`retry:${runId}`, retryLinkTtlMs)}`;
}
