/** What a running run is doing, by phase, as the end of a sentence. */
const doing: Record<string, string> = {
  queued: "it is waiting for its turn",
  sandbox: "Ship is starting a sandbox",
  clone: "Ship is cloning the repository",
  branch: "Ship is creating the branch",
  agent: "the agent is at work",
  push: "Ship is pushing the commits",
  pull_request: "Ship is opening the pull request",
};

/**
 * A run's phase in words for replies ("Ship run 24 is running: the agent is at work."),
 * never the raw phase name; an unknown one (a newer Ship's) reads as plain work.
 */
export function describePhase(phase: string): string {
  return doing[phase] ?? "Ship is working on it";
}
