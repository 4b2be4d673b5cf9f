import { isCiRelevantPath } from "../git/is-ci-relevant-path.js";
import { failureCategory } from "../runs/failure-category.js";
import { type RunPhase, runPhases } from "../runs/run-phases.js";
import { codeSpan } from "./code-span.js";
import { defangAgentText } from "./defang-agent-text.js";
import { formatTokenUsage } from "./format-token-usage.js";
import { statusMarker } from "./status-marker.js";
import type { StatusView } from "./status-view.js";

const phaseLabels: Record<RunPhase, string> = {
  queued: "Queued",
  sandbox: "Start a sandbox",
  clone: "Clone the repository",
  branch: "Create a branch",
  agent: "Run the agent",
  push: "Push the commits",
  pull_request: "Open a draft pull request",
};

/** Caps on what the agent or the sandbox wrote, so the comment stays far below GitHub's 65,536. */
const caps = {
  task: 200,
  todo: 200,
  todos: 30,
  summary: 4_000,
  answer: 12_000,
  error: 2_000,
  file: 200,
  notice: 500,
};

/**
 * The status comment for a run: a pure function of its view, so the same state always
 * renders the same text (an unchanged comment is never re-sent). What Ship did not write
 * (the task quoted, the agent's plan and summary, errors carrying sandbox output, file
 * names) goes through `defangAgentText` or `codeSpan`: Ship's bot posts it, so it must
 * mention no one, close no issue and link nowhere but GitHub. Ship's own links (the
 * pull request, the run log, retry) and its mention of the requester are its own text.
 */
export function renderStatusComment(view: StatusView): string {
  const lines = [statusMarker(view.runId), headline(view), ""];
  const firstLine = view.task.split("\n")[0]?.slice(0, caps.task) ?? "";
  const quotedTask = defangAgentText(firstLine, { maxLength: 2 * caps.task, oneLine: true });
  lines.push(
    `> ${quotedTask}${view.task.includes("\n") || view.task.length > caps.task ? " …" : ""}`,
    "",
  );

  lines.push(...context(view));
  if (view.state === "succeeded") lines.push(...succeeded(view));
  else if (view.state === "failed") lines.push(...failed(view));
  else if (view.state === "cancelled") lines.push(...cancelled(view));
  else lines.push(...progress(view));

  lines.push(footer(view));
  return lines.join("\n");
}

function headline(view: StatusView): string {
  switch (view.state) {
    case "queued":
      return "⏳ **Ship** is queued.";
    case "running":
      return view.followUp
        ? `🚧 **Ship** is working on #${view.followUp.number}.`
        : "🚧 **Ship** is working on it.";
    case "succeeded":
      return view.result?.pullRequest
        ? view.followUp
          ? `✅ **Ship** pushed to #${view.result.pullRequest.number}`
          : `✅ **Ship** opened a draft pull request: #${view.result.pullRequest.number}`
        : "✅ **Ship** finished; the agent changed no files.";
    case "failed": {
      const code = view.error?.category ?? "internal";
      const title = view.error?.title ?? failureCategory(code).title;
      // The code is for whoever looks it up: Ship's troubleshooting guide lists each one.
      return `❌ **${title}** <sub>${codeSpan(code, 60)} · see docs/troubleshooting.md in Ship's repository</sub>`;
    }
    case "cancelled":
      return view.cancelledBy
        ? `🛑 **Ship** run cancelled by @${view.cancelledBy}.`
        : "🛑 **Ship** run cancelled.";
  }
}

/**
 * The run's steps with the current one in bold, its queue place, what the agent does now
 * and its plan. A follow-up on an open pull request has steps of its own: it checks out
 * the PR's branch and pushes to it, and creates no branch and opens no PR.
 */
function progress(view: StatusView): string[] {
  const lines = checklist(view);
  if (view.state === "queued" && view.queuedBehind) {
    lines.push(
      "",
      `Waiting for run ${view.queuedBehind.runId} on this thread to finish (position ${view.queuedBehind.position} in this thread's queue).`,
    );
  }
  // What the agent does belongs to its step: never shown under a later one.
  if (view.activity && view.phase === "agent") lines.push("", `Now: ${view.activity}`);
  lines.push(...plan(view, { open: true }), "");
  return lines;
}

/** The steps a run goes through, each with the phases it covers. */
function steps(view: StatusView): Array<{ label: string; phases: RunPhase[] }> {
  const follow = view.followUp;
  if (follow) {
    return [
      { label: "Start a sandbox", phases: ["sandbox"] },
      { label: `Check out ${codeSpan(follow.branch, caps.file)}`, phases: ["clone", "branch"] },
      { label: "Run the agent", phases: ["agent"] },
      { label: `Push to #${follow.number}`, phases: ["push", "pull_request"] },
    ];
  }
  return runPhases.slice(1).map((phase) => ({
    label:
      phase === "branch" && view.branch
        ? `Create branch ${codeSpan(view.branch, caps.file)}`
        : phaseLabels[phase],
    phases: [phase],
  }));
}

/**
 * `- [x] done`, `- [ ] **current**`, `- [ ] later`. An ended run keeps the list, its
 * last step marked with how it ended ("stopped here", "failed here").
 */
function checklist(view: StatusView): string[] {
  const all = steps(view);
  const reached = all.findIndex((step) => step.phases.includes(view.phase as RunPhase));
  const current = view.phase === "queued" || reached < 0 ? -1 : reached;
  const ended = view.state === "cancelled" || view.state === "failed";
  return all.map((step, index) => {
    if (index < current) return `- [x] ${step.label}`;
    if (index === current) {
      if (view.state === "cancelled") return `- [ ] ${step.label} (cancelled here)`;
      if (view.state === "failed") return `- [ ] ${step.label} (failed here)`;
      return `- [ ] **${step.label}**`;
    }
    return ended ? `- [ ] ~~${step.label}~~` : `- [ ] ${step.label}`;
  });
}

/** The agent's latest todo list, ticked as it goes: open while it works, folded at the end. */
function plan(view: StatusView, how: { open: boolean }): string[] {
  const todos = view.todos ?? [];
  if (todos.length === 0) return [];
  const lines = how.open
    ? ["", "**Agent's plan**", ""]
    : ["", "<details><summary>Agent's plan</summary>", ""];
  for (const todo of todos.slice(0, caps.todos)) {
    const content = defangAgentText(todo.content, { maxLength: caps.todo, oneLine: true });
    const mark = todo.status === "completed" ? "x" : " ";
    lines.push(
      todo.status === "cancelled"
        ? `- [ ] ~~${content}~~`
        : `- [${mark}] ${todo.status === "in_progress" && how.open ? `**${content}**` : content}`,
    );
  }
  if (todos.length > caps.todos) lines.push(`- … and ${todos.length - caps.todos} more`);
  if (!how.open) lines.push("", "</details>");
  return lines;
}

/**
 * What the run is about beyond its task: the review line it was asked on, the run it
 * retries, and what Ship changed in the repository's settings.
 */
function context(view: StatusView): string[] {
  const lines: string[] = [];
  if (view.reviewLine) {
    const where = `${codeSpan(view.reviewLine.path, caps.file)}${view.reviewLine.line ? ` line ${view.reviewLine.line}` : ""}`;
    lines.push(`Asked on a review line: ${where} ([thread](${view.reviewLine.url})).`);
  }
  if (view.retryOf) {
    lines.push(
      view.retryOf.url
        ? `Retry of [run ${view.retryOf.runId}](${view.retryOf.url}).`
        : `Retry of run ${view.retryOf.runId}.`,
    );
  }
  for (const notice of view.notices ?? []) {
    // Ship's sentence, but it quotes the repository's file.
    lines.push(`**Note:** ${defangAgentText(notice, { maxLength: caps.notice, oneLine: true })}`);
  }
  if (lines.length > 0) lines.push("");
  return lines;
}

function succeeded(view: StatusView): string[] {
  const result = view.result;
  const lines: string[] = [];
  const answer = result?.answer || result?.summary;
  if (result?.pullRequest) {
    lines.push(`**Pull request:** ${result.pullRequest.url}`);
    if (view.branch) lines.push(`**Branch:** ${codeSpan(view.branch, caps.file)}`);
    if (answer) {
      lines.push(
        "",
        "<details><summary>Agent's summary</summary>",
        "",
        defangAgentText(answer, { maxLength: caps.summary }),
        "",
        "</details>",
      );
    }
  } else if (answer) {
    // Nothing changed: the agent's answer is all there is (a question, a check), in full.
    lines.push(
      "Nothing changed, so there is no pull request. The agent's answer:",
      "",
      defangAgentText(answer, { maxLength: caps.answer }),
    );
  } else {
    lines.push("Nothing changed, so there is no pull request.");
  }
  for (const note of result?.notes ?? []) lines.push("", `**Note:** ${note}`);
  lines.push(...plan(view, { open: false }));
  if (result?.filesChanged.length) {
    const count = result.filesChanged.length;
    lines.push(
      "",
      `<details><summary>${count} ${count === 1 ? "file" : "files"} changed</summary>`,
      "",
    );
    for (const file of result.filesChanged.slice(0, 50))
      lines.push(`- ${codeSpan(file, caps.file)}`);
    lines.push("", "</details>");
  }
  lines.push(...ciWarning(result));
  const leftOut = result?.leftOut ?? [];
  const listed = (why: "workflow" | "protected" | "too-large") =>
    leftOut
      .filter((file) => file.why === why)
      .slice(0, 20)
      .map((file) => codeSpan(file.path, caps.file))
      .join(", ");
  if (listed("workflow")) {
    lines.push(
      "",
      `**Left out:** ${listed("workflow")}. Ship does not change CI workflows (they run with the repository's secrets); make that change yourself if you want it.`,
    );
  }
  if (listed("protected")) {
    lines.push(
      "",
      `**Left out:** ${listed("protected")}. This repository protects these paths (\`.github/\` and its \`protectedPaths\`), so Ship does not change them; make that change yourself if you want it.`,
    );
  }
  if (listed("too-large")) {
    lines.push(
      "",
      `**Left out:** ${listed("too-large")}, larger than the 100 MB GitHub accepts in a repository.`,
    );
  }
  lines.push("");
  return lines;
}

function failed(view: StatusView): string[] {
  const known = failureCategory(view.error?.category ?? "internal");
  const whatToDo = view.error?.whatToDo ?? known.whatToDo;
  const retryable = view.error?.retryable ?? known.retryable;
  // Errors carry sandbox output (a command's stderr), so they are defanged too.
  const message = view.error?.message;
  const lines = [
    ...checklist(view),
    "",
    message ? defangAgentText(message, { maxLength: caps.error }) : "The run failed.",
  ];
  lines.push("", `**What to do:** ${whatToDo}`);
  for (const note of view.result?.notes ?? []) lines.push("", `**Note:** ${note}`);
  lines.push(...plan(view, { open: false }));
  lines.push(...ciWarning(view.result));
  // Offered only when it can help, and said once (the advice may already say it).
  const hint = retryable ? retryHint(view, whatToDo) : "";
  if (hint) lines.push("", hint);
  lines.push("");
  return lines;
}

/** A cancelled run keeps its checklist (where it stopped) and can be run again. */
function cancelled(view: StatusView): string[] {
  return [
    ...checklist(view),
    "",
    "Nothing more was pushed after the cancel.",
    ...plan(view, { open: false }),
    ...ciWarning(view.result),
    "",
    retryHint(view, ""),
    "",
  ];
}

/** "To try again, comment `/ship retry` or [retry here](…).", or only the link when `said` has the command. */
function retryHint(view: StatusView, said: string): string {
  if (said.includes("`/ship retry`")) {
    return view.retryUrl ? `Or [retry here](${view.retryUrl}).` : "";
  }
  return view.retryUrl
    ? `To try again, comment \`/ship retry\` or [retry here](${view.retryUrl}).`
    : "To try again, comment `/ship retry`.";
}

/**
 * The files CI may run that the run pushed (a failed run may have pushed some too):
 * from the paths Ship parsed from the commits it pushed, never from what the sandbox
 * says. They run with the repository's secrets on the next workflow, so say which.
 */
function ciWarning(result: StatusView["result"]): string[] {
  const ciFiles = (result?.filesChanged ?? []).filter(isCiRelevantPath);
  if (ciFiles.length === 0) return [];
  const named = ciFiles.slice(0, 20).map((file) => codeSpan(file, caps.file));
  if (ciFiles.length > 20) named.push(`and ${ciFiles.length - 20} more`);
  return [
    "",
    `⚠️ This run changed files your CI may run: ${named.join(", ")}. Review them before approving workflow runs.`,
  ];
}

function footer(view: StatusView): string {
  const parts = [`Asked by @${view.requester}`, `model ${codeSpan(view.model, caps.file)}`];
  if (view.actingAs) parts.push(actingAs(view));
  const elapsed = elapsedSeconds(view);
  if (elapsed !== undefined)
    parts.push(
      view.state === "running"
        ? // Whole minutes past the first: the comment then changes (and is edited) once a
          // minute, well inside GitHub's limits on edits, however long the run.
          `running for ${elapsed < 60 ? `${elapsed}s` : `${Math.floor(elapsed / 60)}m`}`
        : `took ${formatDuration(elapsed)}`,
    );
  const usage = view.result?.usage;
  if (usage && usage.input + usage.output + usage.cacheRead > 0) {
    // No price (or a price of nothing): say so rather than leave the cost out unexplained.
    const cost = usage.cost > 0 ? `$${usage.cost.toFixed(4)}` : "no cost counted (see the run log)";
    parts.push(`${formatTokenUsage(usage)}, ${cost}`);
  }
  if (view.runUrl) parts.push(`[run log](${view.runUrl})`);
  return `<sub>${parts.join(" · ")} · run ${view.runId}</sub>`;
}

/**
 * "acting as @alice", and why when that is not the requester: a person's run acting as
 * someone else (the installer standing in) because the requester has not authorized
 * Ship, with where to do it. Ship's bot (`actAs: app`) needs no explanation.
 */
function actingAs(view: StatusView): string {
  const who = view.actingAs as string;
  if (who === view.requester || who.endsWith("[bot]")) return `acting as @${who}`;
  const authorize = view.signInUrl ? `[authorize](${view.signInUrl})` : "authorize Ship";
  return `acting as @${who} (@${view.requester} has not authorized Ship: ${authorize} to have pull requests in your name)`;
}

function elapsedSeconds(view: StatusView): number | undefined {
  if (!view.startedAt) return undefined;
  const end = view.finishedAt ?? view.now;
  return Math.max(0, Math.round((end.getTime() - view.startedAt.getTime()) / 1000));
}

function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m ${String(seconds % 60).padStart(2, "0")}s`;
}
