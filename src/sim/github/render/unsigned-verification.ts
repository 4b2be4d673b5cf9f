/** What GitHub reports for a commit without a signature (the fake signs nothing). */
export function unsignedVerification() {
  return { verified: false, reason: "unsigned", signature: null, payload: null, verified_at: null };
}
