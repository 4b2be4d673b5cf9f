import { isCiRelevantPath } from "../git/is-ci-relevant-path.js";
import { type RunPhase, runPhases } from "../runs/run-phases.js";
import { codeSpan } from "./code-span.js";
import { defangAgentText } from "./defang-agent-text.js";
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
const caps = { task: 200, todo: 200, todos: 30, summary: 4_000, error: 2_000, file: 200 };

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

  if (view.state === "succeeded") lines.push(...succeeded(view));
  else if (view.state === "failed") lines.push(...failed(view));
  else if (view.state === "cancelled")
    lines.push("The run was cancelled; nothing more was pushed.", "");
  else lines.push(...progress(view));

  lines.push(footer(view));
  return lines.join("\n");
}

function headline(view: StatusView): string {
  switch (view.state) {
    case "queued":
      return "⏳ **Ship** is queued.";
    case "running":
      return "🚧 **Ship** is working on it.";
    case "succeeded":
      return view.result?.pullRequest
        ? view.followUp
          ? `✅ **Ship** pushed to #${view.result.pullRequest.number}`
          : `✅ **Ship** opened a draft pull request: #${view.result.pullRequest.number}`
        : "✅ **Ship** finished: no changes were needed.";
    case "failed":
      return `❌ **Ship** could not finish: ${view.error?.category ?? "error"}.`;
    case "cancelled":
      return "🛑 **Ship** run cancelled.";
  }
}

function progress(view: StatusView): string[] {
  const current = runPhases.indexOf(view.phase as RunPhase);
  const lines = runPhases.slice(1).map((phase, index) => {
    const position = index + 1;
    const mark = position < current ? "x" : " ";
    const label =
      phase === "branch" && view.branch
        ? `Create branch ${codeSpan(view.branch, caps.file)}`
        : phaseLabels[phase];
    return `- [${mark}] ${position === current ? `**${label}**` : label}`;
  });
  if (view.state === "queued" && view.queuedBehind) {
    lines.push(
      "",
      `Waiting for run ${view.queuedBehind.runId} on this thread to finish (position ${view.queuedBehind.position} in this thread's queue).`,
    );
  }
  if (view.activity) lines.push("", `Now: ${view.activity}`);
  if (view.todos?.length) {
    lines.push("", "<details><summary>Agent's plan</summary>", "");
    for (const todo of view.todos.slice(0, caps.todos)) {
      const content = defangAgentText(todo.content, { maxLength: caps.todo, oneLine: true });
      lines.push(`- [${todo.status === "completed" ? "x" : " "}] ${content}`);
    }
    if (view.todos.length > caps.todos) {
      lines.push(`- … and ${view.todos.length - caps.todos} more`);
    }
    lines.push("", "</details>");
  }
  lines.push("");
  return lines;
}

function succeeded(view: StatusView): string[] {
  const result = view.result;
  const lines: string[] = [];
  if (result?.pullRequest) {
    lines.push(`**Pull request:** ${result.pullRequest.url}`);
    if (view.branch) lines.push(`**Branch:** ${codeSpan(view.branch, caps.file)}`);
  } else {
    lines.push("The agent changed no files, so there is no pull request.");
  }
  if (result?.summary) {
    lines.push("", defangAgentText(result.summary, { maxLength: caps.summary }));
  }
  for (const note of result?.notes ?? []) lines.push("", `**Note:** ${note}`);
  if (result?.filesChanged.length) {
    lines.push("", `<details><summary>${result.filesChanged.length} file(s) changed</summary>`, "");
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
  // Errors carry sandbox output (a command's stderr), so they are defanged too.
  const message = view.error?.message;
  const lines = [message ? defangAgentText(message, { maxLength: caps.error }) : "The run failed."];
  if (view.error?.whatToDo) lines.push("", `**What to do:** ${view.error.whatToDo}`);
  for (const note of view.result?.notes ?? []) lines.push("", `**Note:** ${note}`);
  lines.push(...ciWarning(view.result));
  lines.push(
    "",
    view.retryUrl
      ? `To try again, comment \`/ship retry\` or [retry here](${view.retryUrl}).`
      : "To try again, comment `/ship retry`.",
    "",
  );
  return lines;
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
  if (view.actingAs) parts.push(`acting as @${view.actingAs}`);
  const elapsed = elapsedSeconds(view);
  if (elapsed !== undefined)
    parts.push(`${view.finishedAt ? "took" : "running for"} ${formatDuration(elapsed)}`);
  const usage = view.result?.usage;
  if (usage && usage.input + usage.output + usage.cacheRead > 0) parts.push(formatUsage(usage));
  if (view.runUrl) parts.push(`[run log](${view.runUrl})`);
  return `<sub>${parts.join(" · ")} · run ${view.runId}</sub>`;
}

/** `1,200 tokens in (300 from cache), 40 out, $0.0042`: what the model was sent and wrote. */
function formatUsage(usage: NonNullable<NonNullable<StatusView["result"]>["usage"]>): string {
  const cached = usage.cacheRead + (usage.cacheWrite ?? 0);
  const input = usage.input + cached;
  const n = (count: number) => count.toLocaleString("en");
  return `${n(input)} tokens in${cached > 0 ? ` (${n(usage.cacheRead)} from cache)` : ""}, ${n(usage.output)} out${
    usage.cost > 0 ? `, $${usage.cost.toFixed(4)}` : ""
  }`;
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
