/** A run's phases in plain words, for the run page. */
export const phaseNames: Record<string, string> = {
  queued: "Queued",
  sandbox: "Starting the sandbox",
  clone: "Cloning the repository",
  branch: "Creating the branch",
  agent: "Agent at work",
  push: "Pushing commits",
  pull_request: "Opening the pull request",
  succeeded: "Done",
  failed: "Failed",
  cancelled: "Cancelled",
};
