import type { Run } from "../runs/run.js";
import type { RunEvent } from "../runs/run-event.js";
import { escapeHtml } from "./escape-html.js";
import { formatSeconds, formatTime } from "./format-time.js";
import { phaseNames } from "./phase-names.js";
import { renderTodos } from "./render-run-event.js";

/** Buttons the viewer may use, each with the signed values its form posts. */
export interface RunActions {
  cancel?: { csrf: string };
  retry?: { token: string; csrf: string };
  /** Not signed in: where to sign in to get the buttons. */
  signIn?: string;
}

/**
 * The part of a run's page that changes as the run goes (sent again over the live
 * stream): state, outcome and links, buttons, phase timeline, todos, changed files,
 * commits, tokens and cost. Pure: everything it shows is passed in.
 */
export function renderRunSummary(params: {
  run: Run;
  /** The run's `phase` and `run.*` events, oldest first. */
  milestones: RunEvent[];
  /** The agent's latest todo list, if it wrote one. */
  todos?: unknown;
  actions: RunActions;
  githubUrl: string;
  now: Date;
}): string {
  const { run, githubUrl } = params;
  const repoUrl = `${githubUrl}/${run.repository}`;
  const parts: string[] = [];
  const stateWords =
    run.state === "running"
      ? `Running: ${phaseNames[run.phase] ?? run.phase}`
      : (phaseNames[run.state] ?? run.state);
  parts.push(`<p class="state ${run.state}" role="status">${escapeHtml(stateWords)}</p>`);

  const pr = run.result?.pullRequest;
  if (pr) {
    parts.push(
      `<p class="outcome">Pull request: <a href="${escapeHtml(pr.url)}">#${pr.number}</a>${
        run.branch
          ? ` from branch <a href="${escapeHtml(`${repoUrl}/tree/${run.branch.split("/").map(encodeURIComponent).join("/")}`)}"><code>${escapeHtml(run.branch)}</code></a>`
          : ""
      }</p>`,
    );
  }
  if (run.state === "succeeded" && !pr) {
    parts.push(`<p class="outcome">The agent changed nothing, so there is no pull request.</p>`);
  }
  if (run.errorMessage && run.state !== "succeeded") {
    parts.push(
      `<p class="error">${run.errorCategory ? `<strong>${escapeHtml(run.errorCategory)}</strong>: ` : ""}${escapeHtml(run.errorMessage)}</p>`,
    );
  }
  if (run.result?.summary) {
    parts.push(`<div class="message">${escapeHtml(run.result.summary)}</div>`);
  }
  parts.push(renderActions(run.id, params.actions));

  parts.push(
    `<dl><dt>Asked by</dt><dd>@${escapeHtml(run.requesterLogin)}</dd>${
      run.actingLogin ? `<dt>Acting as</dt><dd>@${escapeHtml(run.actingLogin)}</dd>` : ""
    }<dt>Model</dt><dd><code>${escapeHtml(run.model ?? "default")}</code></dd><dt>Trigger</dt><dd>${escapeHtml(triggerWords(run.trigger))}</dd>${
      run.retryOf
        ? `<dt>Retry of</dt><dd><a href="/runs/${run.retryOf}">run ${run.retryOf}</a></dd>`
        : ""
    }</dl>`,
  );

  const usage = run.result?.usage;
  if (usage && usage.input + usage.output + usage.cacheRead > 0) {
    parts.push(
      `<p class="usage">Tokens: ${usage.input.toLocaleString("en")} in, ${usage.output.toLocaleString("en")} out, ${usage.cacheRead.toLocaleString("en")} from cache${
        usage.cost > 0 ? ` · cost $${usage.cost.toFixed(4)}` : ""
      }</p>`,
    );
  }

  const timeline = renderTimeline(params.milestones, run, params.now);
  if (timeline) parts.push(`<h2>Timeline</h2>${timeline}`);

  const todos = renderTodos(params.todos);
  if (todos) parts.push(`<h2>Todo list</h2><ul class="todos">${todos}</ul>`);

  const files = run.result?.filesChanged ?? [];
  if (files.length > 0) {
    parts.push(
      `<h2>Changed files</h2><ul class="files">${files.map((file) => `<li><code>${escapeHtml(file)}</code></li>`).join("")}</ul>`,
    );
  }
  const commits = run.result?.commits ?? [];
  if (commits.length > 0) {
    parts.push(
      `<h2>Commits</h2><ul class="commits">${commits
        .map(
          (commit) =>
            `<li><a href="${escapeHtml(`${repoUrl}/commit/${commit.sha}`)}"><code>${commit.sha.slice(0, 7)}</code></a> ${escapeHtml(commit.message.split("\n")[0] ?? "")}</li>`,
        )
        .join("")}</ul>`,
    );
  }
  return parts.join("\n");
}

function renderActions(runId: number, actions: RunActions): string {
  const forms: string[] = [];
  if (actions.cancel) {
    forms.push(
      `<form method="post" action="/runs/${runId}/cancel"><input type="hidden" name="csrf" value="${escapeHtml(actions.cancel.csrf)}"><button type="submit">Cancel run</button></form>`,
    );
  }
  if (actions.retry) {
    forms.push(
      `<form method="post" action="/runs/${runId}/retry"><input type="hidden" name="token" value="${escapeHtml(actions.retry.token)}"><input type="hidden" name="csrf" value="${escapeHtml(actions.retry.csrf)}"><button type="submit">Retry run</button></form>`,
    );
  }
  if (actions.signIn) {
    forms.push(
      `<p><a href="${escapeHtml(actions.signIn)}">Sign in with GitHub</a> to cancel or retry.</p>`,
    );
  }
  return forms.length > 0 ? `<div class="actions">${forms.join("")}</div>` : "";
}

/** Each phase the run went through, when it began and how long it took. */
function renderTimeline(milestones: RunEvent[], run: Run, now: Date): string {
  const steps = milestones.filter(
    (event) => event.kind === "phase" || event.kind === "run.started",
  );
  if (steps.length === 0) return "";
  const end = run.finishedAt ?? now;
  const rows = steps.map((step, index) => {
    const next = steps[index + 1]?.at ?? end;
    const name =
      step.kind === "run.started"
        ? "Started"
        : (phaseNames[String(step.data.phase)] ?? String(step.data.phase));
    const running = index === steps.length - 1 && !run.finishedAt;
    const seconds = (next.getTime() - step.at.getTime()) / 1000;
    return `<tr><td>${escapeHtml(name)}</td><td>${formatTime(step.at)}</td><td>${running ? "in progress" : formatSeconds(Math.max(0, seconds))}</td></tr>`;
  });
  if (run.finishedAt) {
    rows.push(
      `<tr><td>${escapeHtml(phaseNames[run.state] ?? run.state)}</td><td>${formatTime(run.finishedAt)}</td><td></td></tr>`,
    );
  }
  return `<table class="timeline"><thead><tr><th scope="col">Phase</th><th scope="col">Began (UTC)</th><th scope="col">Took</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

function triggerWords(trigger: string): string {
  switch (trigger) {
    case "issue_command":
      return "/ship on an issue";
    case "pr_command":
      return "/ship on a pull request";
    case "review_command":
      return "/ship on a review line";
    case "label":
      return "label on an issue";
    default:
      return trigger;
  }
}
