import type { Sandbox } from "e2b";
import pRetry from "p-retry";
import type pg from "pg";
import type { Logger } from "pino";
import { buildOpencodeConfig } from "../agent/build-opencode-config.js";
import { createAgentLog } from "../agent/create-agent-log.js";
import { installOpencode } from "../agent/install-opencode.js";
import { OpencodeNotFoundError } from "../agent/opencode-not-found-error.js";
import { parseModelId } from "../agent/parse-model-id.js";
import { runAgentSession } from "../agent/run-agent-session.js";
import { startOpencodeServer } from "../agent/start-opencode-server.js";
import type { Config } from "../config/read-config.js";
import { sandboxProviders } from "../gateway/gateway-providers.js";
import { issueGatewayToken } from "../gateway/issue-gateway-token.js";
import { readRunUsage } from "../gateway/read-run-usage.js";
import { revokeGatewayToken } from "../gateway/revoke-gateway-token.js";
import { branchNameFor } from "../git/branch-name-for.js";
import { chooseFreeBranch } from "../git/choose-free-branch.js";
import { cloneInSandbox } from "../git/clone-in-sandbox.js";
import { commitInSandbox } from "../git/commit-in-sandbox.js";
import type { LeftOutFile } from "../git/left-out-file.js";
import { PushError } from "../git/push-error.js";
import { pushSandboxCommits } from "../git/push-sandbox-commits.js";
import { remoteBranchExists } from "../git/remote-branch-exists.js";
import { startBranchInSandbox } from "../git/start-branch-in-sandbox.js";
import type { GitHubApp } from "../github/create-github-app.js";
import { dropWorkInProgress } from "../github/drop-work-in-progress.js";
import { noreplyEmail } from "../github/noreply-email.js";
import { openDraftPullRequest } from "../github/open-draft-pull-request.js";
import { pullRequestTitle } from "../github/pull-request-title.js";
import { requestReviewFrom } from "../github/request-review-from.js";
import { setStateLabel, stateLabels } from "../github/set-state-label.js";
import type { UserTokens } from "../identity/create-user-tokens.js";
import { resolveActingIdentity } from "../identity/resolve-acting-identity.js";
import type { ShipMetrics } from "../metrics/create-metrics.js";
import { buildTaskPrompt } from "../prompts/build-task-prompt.js";
import { createStatusReporter } from "../report/create-status-reporter.js";
import { renderPullRequestBody } from "../report/render-pull-request-body.js";
import { renderReviewReply } from "../report/render-review-reply.js";
import type { StatusView } from "../report/status-view.js";
import { statusViewOf } from "../report/status-view-of.js";
import { createSandbox } from "../sandbox/create-sandbox.js";
import { killSandbox } from "../sandbox/kill-sandbox.js";
import { opencodeVersion } from "../sandbox/opencode-version.js";
import { runCommand } from "../sandbox/run-command.js";
import { appendRunEvent } from "./append-run-event.js";
import { describeFailure } from "./describe-failure.js";
import { finishRun } from "./finish-run.js";
import { getRun } from "./get-run.js";
import type { Run } from "./run.js";
import { RunError } from "./run-error.js";
import type { RunPhase } from "./run-phases.js";
import type { RunPipeline } from "./run-pipeline.js";
import type { RunResult } from "./run-result.js";
import { updateRun } from "./update-run.js";

/** What the pipeline needs from the process: clients and settings, passed in. */
export interface PipelineDependencies {
  pool: pg.Pool;
  github: GitHubApp;
  tokens: UserTokens;
  config: Pick<
    Config,
    "githubUrl" | "sandbox" | "model" | "publicUrl" | "actAs" | "installerStandsIn"
  > & {
    /** Ship's address as sandboxes reach it: the model gateway is under `/llm/`. */
    gatewayUrl: string;
    runTimeoutMs: number;
    /** How long OpenCode may take to start answering in the sandbox. */
    agentStartTimeoutMs: number;
    /** Least time between two edits of a status comment. */
    statusIntervalMs: number;
  };
  /** The signed link in a failed run's status comment that retries it. */
  retryLink?: (runId: number) => string;
  /** The run's page (live log, history), linked from its status comment. */
  runLink?: (runId: number) => string;
  metrics: Pick<ShipMetrics, "phaseDuration" | "stepDuration">;
  log: Logger;
}

/**
 * A run from start to end, in order:
 * sandbox -> clone (read-only token) -> branch -> agent (each finished response:
 * commit -> push from outside the sandbox -> draft PR on the first push) -> result.
 * Each phase is recorded on the run; the status comment follows it; the sandbox is
 * killed whatever happens. Transient failures (network, 5xx, 429) of a step are
 * retried a few times with backoff; others end the run at once with what to do.
 */
export function createRunPipeline(deps: PipelineDependencies): RunPipeline {
  return async (run, { signal: shutdown, log }) => {
    const { pool, github, config } = deps;
    const [owner, repo] = run.repository.split("/") as [string, string];
    const octokit = await github.installation(run.installationId);
    const settings = run.request.settings ?? {};
    // A label run's task is Ship's own words; its branch and PR title read like the issue.
    const byLabel = run.trigger === "label";
    const named = byLabel ? run.request.thread.title : run.request.task;
    // A repository may ask for a shorter limit than Ship's, not a longer one.
    const timeoutMs = Math.min(settings.timeoutMs ?? config.runTimeoutMs, config.runTimeoutMs);
    const deadline = AbortSignal.timeout(timeoutMs);
    // `/ship cancel` marks the run cancelled in the database (from any process): notice
    // within a couple of seconds and stop, pushing nothing more.
    const cancelled = new AbortController();
    const watch = setInterval(() => {
      getRun(pool, run.id)
        .then((current) => {
          if (current?.state === "cancelled") cancelled.abort(new Error("the run was cancelled"));
        })
        .catch(() => {});
    }, 2_000);
    const signal = AbortSignal.any([shutdown, deadline, cancelled.signal]);
    const reporter = createStatusReporter({
      pool,
      octokit,
      runId: run.id,
      owner,
      repo,
      issueNumber: run.threadNumber,
      appId: github.appId,
      minIntervalMs: config.statusIntervalMs,
      log,
    });
    const runUrl = deps.runLink?.(run.id);
    const live: Partial<StatusView> = runUrl ? { runUrl } : {};
    const view = async () => statusViewOf((await getRun(pool, run.id)) as Run, live);
    let current: { phase: RunPhase; since: number } | undefined;
    const phaseEnded = () => {
      if (current) {
        deps.metrics.phaseDuration.observe(
          { phase: current.phase },
          (performance.now() - current.since) / 1000,
        );
      }
      current = undefined;
    };
    const enter = async (phase: RunPhase) => {
      signal.throwIfAborted();
      phaseEnded();
      current = { phase, since: performance.now() };
      await updateRun(pool, run.id, { phase });
      await appendRunEvent(pool, run.id, "phase", { phase });
      // Shown without waiting for GitHub: at most one edit per interval, latest wins.
      reporter.update(await view());
    };
    /** Times a step of the run for `ship_run_step_seconds` (where a run's time goes). */
    const timed = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
      const since = performance.now();
      try {
        return await work();
      } finally {
        deps.metrics.stepDuration.observe({ step }, (performance.now() - since) / 1000);
      }
    };
    const retrying = <T>(what: string, step: () => Promise<T>) =>
      pRetry(step, {
        retries: 2,
        minTimeout: 1_000,
        signal,
        shouldRetry: ({ error }) => isTransient(error),
        onFailedAttempt: ({ error, attemptNumber }) =>
          log.warn({ err: error, attemptNumber }, `${what} failed; retrying`),
      });

    const label = (state: "running" | "done" | "failed") =>
      setStateLabel({ octokit, owner, repo, issueNumber: run.threadNumber, state }).catch((error) =>
        log.warn({ err: error, state }, "could not set the thread's state label"),
      );

    /** A run asked for on a review line answers in that line's thread too. */
    const replyOnReviewLine = async (outcome: Parameters<typeof renderReviewReply>[0]) => {
      const line = run.request.reviewLine;
      if (!line) return;
      await octokit.rest.pulls
        .createReplyForReviewComment({
          owner,
          repo,
          pull_number: run.threadNumber,
          comment_id: line.commentId,
          body: renderReviewReply(outcome),
        })
        .catch((error) => log.warn({ err: error }, "could not reply in the review thread"));
    };

    let sandbox: Sandbox | undefined;
    let branchName: string | undefined;
    // Released before a failure is recorded, so a run that reads as ended has nothing
    // left running; again (a no-op then) in `finally` for every other ending.
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      await revokeGatewayToken(pool, run.id).catch((error) =>
        log.warn({ err: error }, "could not revoke the run's gateway token"),
      );
      if (sandbox) {
        await killSandbox(config.sandbox, sandbox.sandboxId).catch((error) =>
          log.warn({ err: error }, "could not kill the sandbox"),
        );
        await updateRun(pool, run.id, { sandboxId: null });
      }
    };
    try {
      // Independent GitHub calls, side by side: who the run acts as, the repository, and
      // the thread's "running" label (settled before going on, so it can never land
      // after a "failed" one).
      const labelled = label("running");
      const [who, found] = await timed("prepare", () =>
        Promise.allSettled([
          resolveActingIdentity({
            db: pool,
            github,
            tokens: deps.tokens,
            actAs: settings.actAs ?? config.actAs,
            githubUrl: config.githubUrl,
            publicUrl: config.publicUrl,
            installationId: run.installationId,
            installerStandsIn: config.installerStandsIn,
            requester: { id: run.requesterId, login: run.requesterLogin },
            validForMs: timeoutMs + 5 * 60_000,
          }),
          retrying("reading the repository", () => octokit.rest.repos.get({ owner, repo })),
        ]),
      );
      await labelled;
      if (who.status === "rejected") throw who.reason;
      if (found.status === "rejected") throw found.reason;
      const acting = who.value;
      const repository = found.value.data;
      await updateRun(pool, run.id, { actingLogin: acting.login });

      // Picked up again after a crash: the old sandbox's state is gone with its agent.
      if (run.sandboxId) await killSandbox(config.sandbox, run.sandboxId).catch(() => {});
      // ... but a branch already pushed (and its PR) is where this attempt continues.
      // A follow-up on an open pull request whose branch Ship can push to works on that
      // branch; on a closed PR, or one from a fork, Ship starts a new branch and PR.
      const pull = run.request.pullRequest;
      const followUp = pull?.open && pull.sameRepository ? pull : undefined;
      const resumeBranch =
        followUp?.headRef ??
        (run.branch && (await remoteBranchExists(octokit, { owner, repo }, run.branch))
          ? run.branch
          : undefined);

      await enter("sandbox");
      // Kept the moment it exists: a run stopped right after would otherwise leak it.
      const box = await timed("sandbox_create", () =>
        retrying("starting the sandbox", async () => {
          sandbox = await createSandbox(config.sandbox, {
            appId: github.appId,
            runId: run.id,
            repository: run.repository,
            timeoutMs: timeoutMs + 60_000,
          });
          await updateRun(pool, run.id, { sandboxId: sandbox.sandboxId });
          return sandbox;
        }),
      );

      await enter("clone");
      const home = (
        await runCommand(box, ["sh", "-c", 'printf %s "$HOME"'], {
          category: "sandbox",
          doing: "find the sandbox's home",
        })
      ).trim();
      const dir = `${home}/repo`;
      const baseSha = await timed("clone", () =>
        retrying("cloning", async () =>
          cloneInSandbox({
            sandbox: box,
            githubUrl: config.githubUrl,
            repository: run.repository,
            branch: resumeBranch ?? repository.default_branch,
            token: await github.readOnlyToken(run.installationId, repo),
            dir,
          }),
        ),
      );
      await updateRun(pool, run.id, { baseSha });

      await enter("branch");
      let branch = resumeBranch;
      if (!branch) {
        branch = await chooseFreeBranch({
          octokit,
          owner,
          repo,
          wanted:
            run.request.options.branch ??
            branchNameFor(named, run.threadNumber, settings.branchPrefix),
          explicit: run.request.options.branch !== undefined,
        });
        await startBranchInSandbox(box, dir, branch);
        await updateRun(pool, run.id, { branch });
      }
      const head: string = branch;
      branchName = head;
      if (branch === resumeBranch) await updateRun(pool, run.id, { branch });

      await enter("agent");
      for (const command of settings.setup ?? []) {
        live.activity = `Setting up: \`${command}\``;
        await reporter.flush(await view());
        await runCommand(box, ["bash", "-lc", command], {
          category: "setup",
          doing: `run the setup command \`${command}\``,
          cwd: dir,
          timeoutMs: 600_000,
          // The category's advice: a retry reuses the settings this run started with.
        });
      }
      const model = run.model ?? config.model.default;
      const result: RunResult = run.result ?? {
        commits: [],
        filesChanged: [],
        ...(followUp ? { pullRequest: { number: followUp.number, url: followUp.url } } : {}),
      };
      let remoteBase = baseSha;
      // The sandbox's commit `remoteBase` stands for: another one once a push left a
      // protected path out or re-authored a commit, since GitHub then holds other ids.
      let sandboxBase = baseSha;
      // The sandbox calls the model through Ship's gateway with a token of this run's;
      // the provider's key and address stay here.
      const gatewayToken = await issueGatewayToken(pool, run.id);
      const opencodeConfig = buildOpencodeConfig({
        model,
        providers: sandboxProviders(config.model.providers, [parseModelId(model).providerID], {
          runBase: `${config.gatewayUrl}/llm/runs/${run.id}`,
          token: gatewayToken,
        }),
      });
      const startAgent = () =>
        timed("opencode_start", () =>
          retrying("starting OpenCode", () =>
            startOpencodeServer({
              sandbox: box,
              cwd: dir,
              config: opencodeConfig,
              sandboxSettings: config.sandbox,
              timeoutMs: config.agentStartTimeoutMs,
              log,
            }),
          ),
        );
      const opencode = await startAgent().catch(async (error: unknown) => {
        if (!(error instanceof OpencodeNotFoundError)) throw error;
        // A template without OpenCode still works, slower: install it, and say so.
        live.activity = `Installing OpenCode ${opencodeVersion}: the sandbox template does not have it`;
        reporter.update(await view());
        const since = performance.now();
        await timed("opencode_install", () =>
          retrying("installing OpenCode", () => installOpencode(box)),
        );
        const seconds = Math.round((performance.now() - since) / 1000);
        result.notes = [
          ...(result.notes ?? []),
          `The sandbox template has no OpenCode, so Ship installed it first (${seconds} s more). Whoever runs Ship can build Ship's template (\`npm run template:build\`) and set SHIP_SANDBOX_TEMPLATE to skip this.`,
        ];
        await updateRun(pool, run.id, { result });
        live.activity = "Starting the agent";
        return startAgent();
      });
      /** The run's draft pull request, opened on its first push (or found, when resumed). */
      const ensurePullRequest = async () => {
        if (result.pullRequest) return;
        await enter("pull_request");
        result.pullRequest = await timed("pull_request", () =>
          retrying("opening the pull request", () =>
            openDraftPullRequest({
              octokit: acting.octokit,
              owner,
              repo,
              head,
              base: repository.default_branch,
              draft: settings.draft ?? true,
              title: pullRequestTitle(named, { untrusted: byLabel, inProgress: true }),
              body: renderPullRequestBody({
                summary: result.summary,
                githubUrl: config.githubUrl,
                threadNumber: run.threadNumber,
                requester: run.requesterLogin,
                task: run.request.task,
                draft: settings.draft ?? true,
                byLabel,
                ...(settings.closeIssue === false ? { closeIssue: false } : {}),
                ...(runUrl ? { runUrl } : {}),
                ...(pull ? { followsUp: { number: pull.number, fork: !pull.sameRepository } } : {}),
              }),
            }),
          ),
        );
        await updateRun(pool, run.id, { prNumber: result.pullRequest.number, result });
      };
      /** One finished agent response: commit it, push it, open the PR on the first push. */
      const onResponse = async (text: string) => {
        const commit = await timed("commit", () =>
          commitInSandbox({
            sandbox: box,
            dir,
            base: sandboxBase,
            message: text,
            author: acting.author,
            // The requester shares the credit when the run acts as someone else.
            coAuthors:
              acting.login === run.requesterLogin
                ? []
                : [
                    {
                      name: run.requesterLogin,
                      email: noreplyEmail(config.githubUrl, {
                        id: run.requesterId,
                        login: run.requesterLogin,
                      }),
                    },
                  ],
          }),
        );
        const noteLeftOut = async (leftOut: LeftOutFile[]) => {
          if (leftOut.length === 0) return;
          const known = new Set((result.leftOut ?? []).map((file) => file.path));
          result.leftOut = [
            ...(result.leftOut ?? []),
            ...leftOut.filter((file) => !known.has(file.path)),
          ];
          await updateRun(pool, run.id, { result });
        };
        await noteLeftOut(commit.leftOut);
        if (!commit.sha) return;
        await enter("push");
        const pushed = await timed("push", () =>
          retrying("pushing", () =>
            pushSandboxCommits({
              sandbox: box,
              repoDir: dir,
              // The branch is pushed as the person the run acts as (branch protection
              // and push rights are theirs), never with a token inside the sandbox.
              octokit: acting.octokit,
              owner,
              repo,
              branch: head,
              remoteBase,
              localBase: sandboxBase,
              // Decided here from the commits as Ship reads them, not in the sandbox.
              author: acting.author,
              protectedPaths: settings.protectedPaths ?? [],
              signal,
            }),
          ),
        );
        sandboxBase = pushed.localHead;
        remoteBase = pushed.headSha;
        await noteLeftOut(pushed.leftOut);
        if (pushed.commits.length === 0) return;
        result.summary = text.trim();
        result.filesChanged = [...new Set([...result.filesChanged, ...pushed.files])];
        result.commits.push(
          ...pushed.commits.map((c) => ({ sha: c.remoteSha, message: c.message })),
        );
        await updateRun(pool, run.id, { headSha: pushed.headSha, result });
        await ensurePullRequest();
      };
      const agentLog = createAgentLog(dir);
      let logged: Promise<unknown> = Promise.resolve();
      // The agent's own time: the session's, less the commits, pushes and PR in between.
      const agentSince = performance.now();
      let betweenTurnsMs = 0;
      try {
        const outcome = await runAgentSession({
          client: opencode.client,
          directory: dir,
          model,
          prompt: buildTaskPrompt({
            request: run.request,
            requester: run.requesterLogin,
            repository: run.repository,
            threadNumber: run.threadNumber,
            branch: head,
            ...(settings.instructions ? { instructions: settings.instructions } : {}),
          }),
          signal,
          onActivity: (activity) => {
            live.activity = activity.text;
            if (activity.todos) live.todos = activity.todos;
            view()
              .then((current) => reporter.update(current))
              .catch((error) => log.warn({ err: error }, "could not show the agent's activity"));
          },
          onEvent: (event) => {
            const entry = agentLog(event);
            // In order, one after another: on several connections a tool call's end
            // could be stored before its start, and the run page would show it twice.
            if (entry) {
              logged = logged
                .then(() => appendRunEvent(pool, run.id, entry.kind, entry.data))
                .catch(() => {});
            }
          },
          onResponse: async ({ text }) => {
            // Kept even when nothing is pushed: on a no-change run it is the answer.
            result.answer = text.trim();
            const since = performance.now();
            try {
              await onResponse(text);
            } finally {
              betweenTurnsMs += performance.now() - since;
            }
          },
        });
        deps.metrics.stepDuration.observe(
          { step: "agent" },
          (performance.now() - agentSince - betweenTurnsMs) / 1000,
        );
        result.usage = await readRunUsage(pool, run.id);
        if (!outcome.ok) {
          const budget = (await getRun(pool, run.id))?.budgetReached;
          if (!budget) throw agentFailure(outcome.error);
          // Stopped by its budget: keep what the agent did as a checkpoint on the branch.
          await onResponse(
            `Checkpoint: ${budget}\n\nWork in progress, kept when the model budget ran out.`,
          );
          await updateRun(pool, run.id, { result });
          throw new RunError({
            category: "budget",
            message: `Budget reached: ${budget} ${
              result.commits.length > 0
                ? `The work so far is committed on \`${head}\`${result.pullRequest ? ` (#${result.pullRequest.number})` : ""}.`
                : "The agent had not changed anything yet."
            }`,
            whatToDo:
              "Comment `/ship retry` to continue on the same branch with a new run's budget. To allow more per run, set `budget:` in `.github/ship.yml` (or ask whoever runs Ship about SHIP_RUN_BUDGET and SHIP_REPO_MONTHLY_BUDGET).",
          });
        }
        // Resumed on its own branch after a worker died between the push and the pull
        // request: the branch holds the work even if the agent had nothing more to add.
        if (resumeBranch !== undefined && !followUp) await ensurePullRequest();
      } finally {
        // Not waited for: nothing the agent does from now on is committed, and the
        // sandbox is killed at the end anyway; the run's end need not wait for it.
        void timed("opencode_stop", () => opencode.stop().catch(() => {}));
      }

      const finishSince = performance.now();
      if (result.pullRequest && !followUp) {
        // Before the run counts as done, so whoever sees it done sees the final title.
        await dropWorkInProgress({
          octokit,
          owner,
          repo,
          pullNumber: result.pullRequest.number,
          opened: pullRequestTitle(named, { untrusted: byLabel, inProgress: true }),
          final: pullRequestTitle(named, { untrusted: byLabel }),
        }).catch((error) => log.warn({ err: error }, "could not drop [WIP] from the PR's title"));
      }
      await updateRun(pool, run.id, { result });
      if (!(await finishRun(pool, run.id, { state: "succeeded" }))) throw cancelledMeanwhile();
      await label("done");
      if (result.pullRequest && result.commits.length > 0) {
        // The pull request goes back to whoever asked; never worth failing the run over.
        await requestReviewFrom({
          octokit,
          owner,
          repo,
          pullNumber: result.pullRequest.number,
          requester: run.requesterLogin,
        })
          .then((outcome) => log.info({ outcome }, "handed the pull request to the requester"))
          .catch((error) => log.warn({ err: error }, "could not request the requester's review"));
      }
      const last = result.commits.at(-1);
      await replyOnReviewLine(
        last
          ? {
              kind: "pushed",
              sha: last.sha,
              branch: branchName ?? "",
              commitUrl: `${config.githubUrl}/${run.repository}/commit/${last.sha}`,
              ...(result.summary ? { summary: result.summary } : {}),
            }
          : { kind: "no_changes" },
      );
      await appendRunEvent(pool, run.id, "run.succeeded", {
        pullRequest: result.pullRequest ?? null,
      });
      delete live.activity;
      await reporter.flush(await view());
      deps.metrics.stepDuration.observe(
        { step: "finish" },
        (performance.now() - finishSince) / 1000,
      );
    } catch (error) {
      // A shutdown is not the run's failure: the run job marks it interrupted.
      if (shutdown.aborted) throw error;
      if (cancelled.signal.aborted || (await getRun(pool, run.id))?.state === "cancelled") {
        log.info({ runId: run.id }, "run cancelled");
        await octokit.rest.issues
          .removeLabel({ owner, repo, issue_number: run.threadNumber, name: stateLabels.running })
          .catch(() => {});
        delete live.activity;
        const retryUrl = deps.retryLink?.(run.id);
        await reporter.flush({ ...(await view()), ...(retryUrl ? { retryUrl } : {}) });
        return;
      }
      const failure = describeFailure(error, {
        timedOut: deadline.aborted,
        runTimeoutMs: timeoutMs,
      });
      log.warn({ err: error, category: failure.category }, "run failed");
      await release();
      const ended = await finishRun(pool, run.id, {
        state: "failed",
        category: failure.category,
        message: failure.message,
      });
      if (ended) await label("failed");
      await replyOnReviewLine({
        kind: "failed",
        message: failure.message,
        whatToDo: failure.whatToDo,
        retryable: failure.retryable,
      });
      await appendRunEvent(pool, run.id, "run.failed", {
        category: failure.category,
        message: failure.message,
        ...(failure.whatToDo ? { whatToDo: failure.whatToDo } : {}),
      });
      delete live.activity;
      const retryUrl = deps.retryLink?.(run.id);
      await reporter.flush({
        ...(await view()),
        error: failure,
        ...(retryUrl ? { retryUrl } : {}),
      });
    } finally {
      phaseEnded();
      clearInterval(watch);
      reporter.close();
      await release();
    }
  };
}

/** Worth trying the same step again soon: network trouble, 5xx, 429, a sandbox hiccup. */
function isTransient(error: unknown): boolean {
  if (error instanceof PushError) return error.retryable;
  const status = (error as { status?: number }).status;
  // Rate limits are waited out by the GitHub client itself; one it gave up on stays.
  if (typeof status === "number") return status >= 500;
  if (error && typeof error === "object" && "retryable" in error) return Boolean(error.retryable);
  return error instanceof TypeError; // fetch's network errors
}

/** The run ended elsewhere (cancelled) while this attempt was finishing it. */
function cancelledMeanwhile(): Error {
  return new Error("the run was cancelled");
}

function agentFailure(error: { category: string; message: string; retryable: boolean }) {
  return Object.assign(new Error(error.message), { agent: error });
}
