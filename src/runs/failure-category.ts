/**
 * What a failure category means to the person who asked: a plain title for the status
 * comment's headline, what to do besides retrying (whole sentences, for collaborators:
 * operators' settings are "whoever runs Ship"'s business), and whether a retry can help.
 */
export interface FailureCategory {
  title: string;
  whatToDo: string;
  /**
   * Asking again the same way (`/ship retry`, the retry link) may succeed: the trouble
   * was passing (an outage, a restart, a slow sandbox) or is fixed by a step the
   * requester takes (authorizing Ship). False when the request itself must change (a
   * branch name, a model, the task's size) or only an operator or admin can fix it:
   * then the comment offers no retry, which could only fail the same way.
   */
  retryable: boolean;
}

const categories: Record<string, FailureCategory> = {
  authorization: {
    title: "Ship is not authorized to act for the requester",
    whatToDo: "Authorize Ship (the retry link signs you in), then try again.",
    retryable: true,
  },
  agent_start: {
    title: "The agent could not start",
    whatToDo: "If it keeps happening, ask whoever runs Ship to check the sandbox template.",
    retryable: true,
  },
  agent_failed: {
    title: "The agent stopped with an error",
    whatToDo:
      "If the same error comes back, ask for a smaller task, or try another model with `/ship retry --model provider/model`.",
    retryable: true,
  },
  aborted: {
    title: "The agent was stopped",
    whatToDo: "Nothing was pushed after the stop.",
    retryable: true,
  },
  provider_auth: {
    title: "The model provider refused Ship's credentials",
    whatToDo:
      "Ask whoever runs Ship to check the key and settings for this model's provider; a retry fails the same way until then.",
    retryable: false,
  },
  provider_rejected: {
    title: "The model provider rejected the request",
    whatToDo:
      "Check the model's name, or try another one: comment `/ship retry --model provider/model`. If this model should work, ask whoever runs Ship.",
    retryable: false,
  },
  provider_unavailable: {
    title: "The model provider is unavailable",
    whatToDo: "The model provider may be busy or down: wait a few minutes.",
    retryable: true,
  },
  budget: {
    title: "The run's budget ran out",
    whatToDo:
      "A retry continues on the same branch with a new run's budget. To allow more per run, set `budget:` in `.github/ship.yml`, or ask whoever runs Ship.",
    retryable: true,
  },
  timeout: {
    title: "The run took too long",
    whatToDo: "Split the task into smaller ones, or ask whoever runs Ship for a longer limit.",
    retryable: true,
  },
  setup: {
    title: "A setup command failed",
    whatToDo:
      "Fix the `setup:` commands in `.github/ship.yml` on the default branch, then ask again with `/ship <task>` (a retry runs the same commands).",
    retryable: false,
  },
  disk_full: {
    title: "The sandbox's disk is full",
    whatToDo:
      "Ask for a smaller change, or keep large generated files out of the repository (`.gitignore`).",
    retryable: false,
  },
  sandbox: {
    title: "The sandbox stopped answering",
    whatToDo: "If it keeps happening, tell whoever runs Ship.",
    retryable: true,
  },
  clone: {
    title: "Ship could not clone the repository",
    whatToDo: "If it happens again, check that Ship is still installed on the repository.",
    retryable: true,
  },
  branch: {
    title: "Ship could not create the branch",
    whatToDo: "Name another branch with `--branch`, or leave it out and Ship picks one.",
    retryable: false,
  },
  commit: {
    title: "Ship could not commit the agent's changes",
    whatToDo: "If it happens again, tell whoever runs Ship.",
    retryable: true,
  },
  push: {
    title: "Ship could not push the commits",
    whatToDo: "Someone may have pushed to the branch meanwhile, or GitHub had trouble.",
    retryable: true,
  },
  permission: {
    title: "Ship lacks a permission on this repository",
    whatToDo:
      "Ask a repository admin to check that Ship is installed with contents and pull requests write permission and that the person Ship acts as can push, then comment `/ship retry`.",
    retryable: false,
  },
  not_found: {
    title: "GitHub could not find what this run works on",
    whatToDo:
      "If the repository still exists, Ship is installed on it and the person Ship acts as can push to it, comment `/ship retry`.",
    retryable: false,
  },
  rate_limit: {
    title: "GitHub's rate limit for Ship ran out",
    whatToDo: "GitHub's limits reset within the hour: try again later.",
    retryable: true,
  },
  github: {
    title: "GitHub refused a request from Ship",
    whatToDo: "GitHub may be having trouble: wait a few minutes.",
    retryable: true,
  },
  interrupted: {
    title: "Ship was restarted during the run",
    whatToDo: "A retry continues on the run's branch if it had pushed.",
    retryable: true,
  },
  internal: {
    title: "Ship ran into an unexpected error",
    whatToDo: "If it happens again, tell whoever runs Ship.",
    retryable: true,
  },
};

/**
 * The category's title, advice and retryability; an unknown code (an older Ship's, a
 * newer one's) reads as an unexpected error, which a retry may get past.
 */
export function failureCategory(code: string): FailureCategory {
  return (
    categories[code] ?? {
      title: "Ship could not finish",
      whatToDo: "If it happens again, tell whoever runs Ship.",
      retryable: true,
    }
  );
}
