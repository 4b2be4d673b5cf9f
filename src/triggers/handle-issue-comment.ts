import type pg from "pg";
import type { PgBoss } from "pg-boss";
import type { Logger } from "pino";
import type { Context } from "probot";
import { parseShipCommand } from "../commands/parse-ship-command.js";
import type { ShipCommand } from "../commands/ship-command.js";
import { availableModels } from "../config/available-models.js";
import { isAvailableModel } from "../config/is-available-model.js";
import type { Config } from "../config/read-config.js";
import { readRepoConfig } from "../config/read-repo-config.js";
import { runSettings } from "../config/run-settings.js";
import { inTransaction } from "../db/in-transaction.js";
import type { Queryable } from "../db/queryable.js";
import { claimRefusalReply, type RefusalKind } from "../deliveries/claim-refusal-reply.js";
import { claimTrigger } from "../deliveries/claim-trigger.js";
import { type DeliveryRecord, recordDelivery } from "../deliveries/record-delivery.js";
import type { GitHubClient } from "../github/github-client.js";
import { readPullRequest } from "../github/read-pull-request.js";
import { sendJob } from "../queue/send-job.js";
import { type Reply, renderReply } from "../report/render-reply.js";
import { shipCommentMarker } from "../report/status-marker.js";
import { cancelRun } from "../runs/cancel-run.js";
import { failureCategory } from "../runs/failure-category.js";
import { findLatestPullRequestRun } from "../runs/find-latest-pull-request-run.js";
import { findLatestRun } from "../runs/find-latest-run.js";
import { lockThread } from "../runs/lock-thread.js";
import { queueRun } from "../runs/queue-run.js";
import { retryRun } from "../runs/retry-run.js";
import type { PullRequestRef, RunSettings } from "../runs/run-request.js";
import { stripHiddenText } from "../text/strip-hidden-text.js";
import { findBranchRefusal } from "./find-branch-refusal.js";
import { findRunBranchRefusal } from "./find-run-branch-refusal.js";
import { mayTrigger } from "./may-trigger.js";
import { parseIssueCommentTrigger } from "./parse-issue-comment-trigger.js";
import { parseReviewCommentTrigger } from "./parse-review-comment-trigger.js";
import { pauseOf } from "./pause-of.js";
import { type RepositoryRole, readPermission } from "./read-permission.js";
import { refusalOf } from "./refusal-of.js";
import { renderBranchRefusal } from "./render-branch-refusal.js";
import type { Trigger } from "./trigger.js";
import { triggerHandled } from "./trigger-handled.js";

type CommentTrigger = Extract<Trigger, { kind: "issue_comment" }>;

export interface IngestDependencies {
  pool: pg.Pool;
  boss: PgBoss;
  /** SHIP_MODEL (used when a request names none) and the configured providers. */
  models: Config["model"];
  /** GitHub's web address, for links in replies. */
  githubUrl: string;
  /** SHIP_RUN_TIMEOUT: a repository's `timeout:` above it is capped, and the cap said. */
  runTimeoutMs?: number;
  /** SHIP_PAUSED, the operator's kill switch: while set, no request starts a run. */
  paused?: string | undefined;
  log: Logger;
}

/**
 * `issue_comment.created`: reads the `/ship` command, checks the commenter may trigger
 * (fail closed), and in ONE transaction records the delivery (unique: a redelivery does
 * nothing) with the run and its jobs, or with the reply. GitHub gets its 2xx once that
 * commit is done; reactions and comments follow from the jobs.
 */
export function handleIssueComment(deps: IngestDependencies) {
  return (context: Context<"issue_comment.created">): Promise<void> =>
    ingestComment(deps, context.octokit, parseIssueCommentTrigger(context), {
      id: context.id,
      event: "issue_comment.created",
      installationId: context.payload.installation?.id,
      repository: context.payload.repository.full_name,
    });
}

/** `pull_request_review_comment.created`: the same commands, on a line of a PR's diff. */
export function handleReviewComment(deps: IngestDependencies) {
  return (context: Context<"pull_request_review_comment.created">): Promise<void> =>
    ingestComment(deps, context.octokit, parseReviewCommentTrigger(context), {
      id: context.id,
      event: "pull_request_review_comment.created",
      installationId: context.payload.installation?.id,
      repository: context.payload.repository.full_name,
    });
}

async function ingestComment(
  deps: IngestDependencies,
  octokit: GitHubClient,
  trigger: CommentTrigger | undefined,
  base: Omit<DeliveryRecord, "outcome">,
): Promise<void> {
  const ignore = (reason: string) =>
    recordDelivery(deps.pool, { ...base, outcome: "ignored", reason });
  if (!trigger) return void (await ignore("no installation"));
  if (trigger.sender.isBot || trigger.comment.body.includes(shipCommentMarker)) {
    return void (await ignore("written by a bot"));
  }
  const command = parseShipCommand(trigger.comment.body);
  if (!command) return void (await ignore("not addressed to Ship"));
  // The same signed comment again under a new delivery id (a replay): nothing, silently,
  // and before any GitHub call (each would spend the installation's quota).
  const comment = {
    kind: trigger.reviewLine ? ("review_comment" as const) : ("issue_comment" as const),
    key: String(trigger.comment.id),
    deliveryId: trigger.deliveryId,
  };
  if (await triggerHandled(deps.pool, comment)) {
    return void (await ignore("comment already handled"));
  }

  let role: RepositoryRole | undefined;
  try {
    role = await readPermission(octokit, trigger.repository, trigger.sender.login);
  } catch (error) {
    deps.log.warn({ err: error, sender: trigger.sender.login }, "permission check failed; denying");
  }
  // Who it is first: the repository's config (and the pull request) is read only for
  // people who may trigger at all, so anyone else's comment costs one API call at most.
  const mayAsk = role !== undefined && mayTrigger(role, trigger.sender.login);
  const repoConfig = mayAsk
    ? await readRepoConfig(octokit, trigger.repository, deps.log)
    : ({ ok: false, problem: "", fileUrl: undefined } as const);
  const policy = repoConfig.ok ? repoConfig.config : {};
  const allowed = mayAsk && mayTrigger(role as RepositoryRole, trigger.sender.login, policy);
  // Help and status only tell: anyone who can read the repository may ask for them.
  const readerMay =
    (command.kind === "help" || command.kind === "status") && role !== undefined && role !== "none";
  const startsRun = command.kind === "task" || command.kind === "retry";
  // The kill switch stops requests that would start a run, before any other check.
  const pause =
    allowed && startsRun && (deps.paused !== undefined || repoConfig.ok)
      ? pauseOf(deps.paused, repoConfig.ok ? repoConfig.config : undefined)
      : undefined;
  const checks = allowed && repoConfig.ok && !pause;
  // A task on a pull request is a follow-up: know the PR (its branch, fork, state) now.
  let pullRequest: PullRequestRef | undefined;
  let branchRefusal: string | undefined;
  let openPullRequest: { runId: number; prNumber: number } | undefined;
  if (command.kind === "task" && checks) {
    if (trigger.thread.isPullRequest) {
      pullRequest = await readPullRequest(octokit, trigger.repository, trigger.thread.number);
    }
    branchRefusal = await findBranchRefusal(octokit, trigger.repository, {
      ...(pullRequest ? { pullRequest } : {}),
      ...(command.options.branch !== undefined
        ? { branch: command.options.branch, newBranch: true }
        : {}),
    });
    if (!trigger.thread.isPullRequest && !command.options.new) {
      openPullRequest = await findOpenPullRequest(deps, octokit, trigger);
    }
  }
  // A retry pushes where the stored request would: checked again as a new request is
  // (protection or a ruleset may have come since), on the run it would retry.
  let retryCheck: RetryCheck | undefined;
  if (command.kind === "retry" && checks) {
    const last = await findLatestRun(deps.pool, trigger.repository.id, trigger.thread.number);
    if (last && isRetryable(last.state)) {
      const refusal = await findRunBranchRefusal(octokit, last, trigger.repository);
      retryCheck = { runId: last.id, ...(refusal ? { refusal } : {}) };
    }
  }

  await inTransaction(deps.pool, async (tx) => {
    // Whether this comment's request was taken (answered or run, not refused): only
    // then does a second `/ship` line in it get its note.
    let taken = false;
    const record = async (outcome: DeliveryRecord["outcome"], reason?: string) => {
      const first = await recordDelivery(tx, { ...base, outcome, ...(reason ? { reason } : {}) });
      if (first && outcome !== "denied") taken = true;
      return first;
    };
    const answerWith = async (
      body: string,
      outcome: DeliveryRecord["outcome"],
      reason: string,
      refusal?: RefusalKind,
    ) => {
      if (!(await record(outcome, reason))) return;
      if (refusal && !(await claimRefusalReply(tx, refusalOf(trigger), refusal))) return;
      await sendReply(deps.boss, tx, trigger, body);
    };
    const reply = (
      answer: Reply,
      outcome: DeliveryRecord["outcome"],
      reason: string,
      refusal?: RefusalKind,
    ) => answerWith(renderReply(answer), outcome, reason, refusal);

    const act = async (): Promise<void> => {
      if (role === undefined) {
        return reply(
          { kind: "permission_unknown", login: trigger.sender.login },
          "denied",
          "permission unknown",
          "unverified",
        );
      }
      if (!allowed && !readerMay) {
        const answer: Reply = mayTrigger(role, trigger.sender.login, {
          permission: policy.permission,
        })
          ? { kind: "not_allowed", login: trigger.sender.login }
          : {
              kind: "denied",
              login: trigger.sender.login,
              repository: trigger.repository.fullName,
              permission: policy.permission ?? "write",
              withUsage: true,
            };
        return reply(answer, "denied", `role ${role}`, "access");
      }
      if (pause) return reply(pause, "ignored", "paused");
      // Without the repository's rules (unreadable or broken file), start nothing.
      if (mayAsk && !repoConfig.ok && startsRun) {
        return reply(
          { kind: "invalid_config", problem: repoConfig.problem, fileUrl: repoConfig.fileUrl },
          "ignored",
          "config unavailable",
        );
      }
      switch (command?.kind) {
        case "help":
          return reply({ kind: "help" }, "ignored", "help");
        case "invalid":
          return reply({ kind: "invalid", problem: command.problem }, "ignored", "invalid command");
        case "task": {
          if (!repoConfig.ok) {
            return reply(
              { kind: "invalid_config", problem: repoConfig.problem, fileUrl: repoConfig.fileUrl },
              "ignored",
              "invalid config",
            );
          }
          const model = command.options.model ?? repoConfig.config.model ?? deps.models.default;
          if (!isAvailableModel(model, deps.models)) {
            const available = availableModels(deps.models);
            return reply({ kind: "unknown_model", model, available }, "ignored", "unknown model");
          }
          if (branchRefusal) {
            return answerWith(
              renderBranchRefusal(trigger.sender.login, branchRefusal),
              "ignored",
              "protected branch",
            );
          }
          if (openPullRequest) {
            return reply(
              {
                kind: "open_pull_request",
                runId: openPullRequest.runId,
                pullRequestNumber: openPullRequest.prNumber,
              },
              "ignored",
              "open pull request",
            );
          }
          if (await record("run")) {
            await queueTask(
              deps,
              tx,
              trigger,
              command,
              model,
              runSettings(repoConfig.config, deps),
              pullRequest,
            );
          }
          return;
        }
        case "retry":
          return retry(
            deps,
            tx,
            trigger,
            command.options?.model,
            record,
            reply,
            answerWith,
            retryCheck,
          );
        case "status":
          return status(deps, tx, trigger, reply);
        case "cancel":
          return cancel(deps, tx, trigger, record, reply);
        case "ready":
          return ready(deps, tx, trigger, record, reply);
      }
    };

    // Claimed here, with what it did (two copies at once both got past the first look).
    if (!(await claimTrigger(tx, comment))) {
      return void (await record("ignored", "comment already handled"));
    }
    await act();
    if (taken && command.anotherRequest) {
      await sendReply(deps.boss, tx, trigger, renderReply({ kind: "another_request" }));
    }
  });
}

/**
 * The open pull request an earlier Ship run on this issue made, if any: a new request
 * is pointed there (`--new` starts a fresh branch anyway). A pull request GitHub cannot
 * describe now (deleted, a passing error) is no reason to refuse.
 */
async function findOpenPullRequest(
  deps: IngestDependencies,
  octokit: GitHubClient,
  trigger: CommentTrigger,
): Promise<{ runId: number; prNumber: number } | undefined> {
  const earlier = await findLatestPullRequestRun(
    deps.pool,
    trigger.repository.id,
    trigger.thread.number,
  );
  if (!earlier) return undefined;
  try {
    const pull = await readPullRequest(octokit, trigger.repository, earlier.prNumber);
    return pull.open ? earlier : undefined;
  } catch (error) {
    deps.log.warn({ err: error, pullRequest: earlier.prNumber }, "could not read an earlier PR");
    return undefined;
  }
}

function queueTask(
  deps: IngestDependencies,
  tx: Queryable,
  trigger: CommentTrigger,
  command: Extract<ShipCommand, { kind: "task" }>,
  model: string,
  settings: RunSettings,
  pullRequest: PullRequestRef | undefined,
): Promise<number> {
  return queueRun(deps.boss, tx, {
    deliveryId: trigger.deliveryId,
    installationId: trigger.installationId,
    repositoryId: trigger.repository.id,
    repository: trigger.repository.fullName,
    threadNumber: trigger.thread.number,
    trigger: trigger.reviewLine
      ? "review_command"
      : trigger.thread.isPullRequest
        ? "pr_command"
        : "issue_command",
    requester: { login: trigger.sender.login, id: trigger.sender.id },
    request: {
      task: command.task,
      options: command.options,
      commentId: trigger.comment.id,
      thread: {
        title: stripHiddenText(trigger.thread.title),
        body: stripHiddenText(trigger.thread.body),
        isPullRequest: trigger.thread.isPullRequest,
      },
      settings,
      ...(pullRequest ? { pullRequest } : {}),
      ...(trigger.reviewLine
        ? { reviewLine: { commentId: trigger.comment.id, ...trigger.reviewLine } }
        : {}),
    },
    model,
  });
}

/** The run a `/ship retry` would retry, read before the transaction, and why not, if so. */
interface RetryCheck {
  runId: number;
  refusal?: string;
}

/** A run that ended badly (failed, cancelled): not active, not succeeded. */
function isRetryable(state: string): boolean {
  return state !== "succeeded" && state !== "queued" && state !== "running";
}

/**
 * `/ship retry [--model x]`: the thread's last run again, with the same request (and
 * `model` instead, if given), if it failed or was cancelled. After a success it says
 * what that run made, and where to ask for changes.
 */
async function retry(
  deps: IngestDependencies,
  tx: Queryable,
  trigger: CommentTrigger,
  model: string | undefined,
  record: (outcome: DeliveryRecord["outcome"], reason?: string) => Promise<boolean>,
  reply: (answer: Reply, outcome: DeliveryRecord["outcome"], reason: string) => Promise<void>,
  answerWith: (body: string, outcome: DeliveryRecord["outcome"], reason: string) => Promise<void>,
  checked: RetryCheck | undefined,
): Promise<void> {
  await lockThread(tx, trigger.repository.id, trigger.thread.number);
  const last = await findLatestRun(tx, trigger.repository.id, trigger.thread.number);
  if (!last) return reply({ kind: "nothing_to_retry" }, "ignored", "nothing to retry");
  if (last.state === "succeeded") {
    return reply(
      {
        kind: "last_run_succeeded",
        runId: last.id,
        ...(last.prNumber ? { pullRequestNumber: last.prNumber } : {}),
      },
      "ignored",
      "nothing to retry",
    );
  }
  // Not the run whose branches were checked (another came meanwhile): as if busy.
  if (!isRetryable(last.state) || checked?.runId !== last.id) {
    return reply({ kind: "busy", runId: last.id }, "ignored", "run active");
  }
  if (checked.refusal) {
    return answerWith(
      renderBranchRefusal(trigger.sender.login, checked.refusal),
      "ignored",
      "protected branch",
    );
  }
  if (model !== undefined && !isAvailableModel(model, deps.models)) {
    const available = availableModels(deps.models);
    return reply({ kind: "unknown_model", model, available }, "ignored", "unknown model");
  }
  if (!(await record("run", `retry of ${last.id}`))) return;
  // The retry comment is the one to react to; the context is the thread as it is now.
  const request = {
    ...last.request,
    commentId: trigger.comment.id,
    thread: {
      title: stripHiddenText(trigger.thread.title),
      body: stripHiddenText(trigger.thread.body),
      isPullRequest: trigger.thread.isPullRequest,
    },
  };
  const requester = { login: trigger.sender.login, id: trigger.sender.id };
  await retryRun(deps.boss, tx, { ...last, request }, requester, trigger.deliveryId, model);
}

async function sendReply(
  boss: PgBoss,
  tx: Queryable,
  trigger: CommentTrigger,
  body: string,
): Promise<void> {
  await sendJob(
    boss,
    "reply",
    {
      installationId: trigger.installationId,
      owner: trigger.repository.owner,
      repo: trigger.repository.name,
      issueNumber: trigger.thread.number,
      body,
    },
    tx,
  );
}

type Replier = (answer: Reply, outcome: DeliveryRecord["outcome"], reason: string) => Promise<void>;

/** `/ship status`: the thread's current or last run, with links. */
async function status(
  deps: IngestDependencies,
  tx: Queryable,
  trigger: CommentTrigger,
  reply: Replier,
): Promise<void> {
  const last = await findLatestRun(tx, trigger.repository.id, trigger.thread.number);
  if (!last) return reply({ kind: "no_run" }, "ignored", "status");
  const threadUrl = `${deps.githubUrl}/${trigger.repository.fullName}/issues/${trigger.thread.number}`;
  return reply(
    {
      kind: "status",
      runId: last.id,
      state: last.state,
      phase: last.phase,
      ...(last.state === "failed" && last.errorCategory
        ? { failure: lowerFirst(failureCategory(last.errorCategory).title) }
        : {}),
      ...(last.statusCommentId
        ? { commentUrl: `${threadUrl}#issuecomment-${last.statusCommentId}` }
        : {}),
      ...(last.result?.pullRequest ? { pullRequestUrl: last.result.pullRequest.url } : {}),
    },
    "ignored",
    "status",
  );
}

/** `/ship cancel`: the thread's queued or running run ends now; its sandbox is killed by a job. */
async function cancel(
  deps: IngestDependencies,
  tx: Queryable,
  trigger: CommentTrigger,
  record: (outcome: DeliveryRecord["outcome"], reason?: string) => Promise<boolean>,
  reply: Replier,
): Promise<void> {
  const last = await findLatestRun(tx, trigger.repository.id, trigger.thread.number);
  if (!last || (last.state !== "queued" && last.state !== "running")) {
    return reply({ kind: "nothing_to_cancel" }, "ignored", "cancel");
  }
  // No reply of its own: the run's status comment says "cancelled by @…" within seconds.
  if (!(await record("recorded", "cancel"))) return;
  await cancelRun(deps.boss, tx, last.id, trigger.sender.login);
}

/** `/ship ready`: the thread's pull request (the PR itself, or the issue's run's PR) ready for review. */
async function ready(
  deps: IngestDependencies,
  tx: Queryable,
  trigger: CommentTrigger,
  record: (outcome: DeliveryRecord["outcome"], reason?: string) => Promise<boolean>,
  reply: Replier,
): Promise<void> {
  const last = await findLatestRun(tx, trigger.repository.id, trigger.thread.number);
  const pullNumber = trigger.thread.isPullRequest
    ? trigger.thread.number
    : (last?.prNumber ?? undefined);
  if (!pullNumber) return reply({ kind: "no_pull_request" }, "ignored", "ready");
  if (!(await record("recorded", "ready"))) return;
  await sendJob(
    deps.boss,
    "ready",
    {
      installationId: trigger.installationId,
      owner: trigger.repository.owner,
      repo: trigger.repository.name,
      pullNumber,
      threadNumber: trigger.thread.number,
    },
    tx,
  );
}

/** "The model provider is unavailable" inside a sentence. */
function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
