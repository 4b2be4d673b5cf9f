import { formatTokenUsage } from "../report/format-token-usage.js";
import { failureCategory } from "../runs/failure-category.js";
import { isFinished, type Run } from "../runs/run.js";
import type { RunEvent } from "../runs/run-event.js";
import type { RunDiff } from "./create-run-diff-reader.js";
import { escapeHtml } from "./escape-html.js";
import { formatSeconds, formatTime } from "./format-time.js";
import { phaseNames } from "./phase-names.js";
import { renderChangedFiles } from "./render-changed-files.js";
import { renderInlineCode } from "./render-inline-code.js";
import { renderTodos } from "./render-run-event.js";
import { runningLabel } from "./running-label.js";
import { triggerWords } from "./trigger-words.js";

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
  /** The branch's diff at the run's latest push (`createRunDiffReader`). */
  diff?: RunDiff;
  /** A failed run's "What to do", as its status comment says it. */
  whatToDo?: string;
  /** Whether Ship knows the model's price; undefined when the page cannot tell. */
  priced?: boolean;
}): string {
  const { run, githubUrl } = params;
  const repoUrl = `${githubUrl}/${run.repository}`;
  const card: string[] = [];
  const parts: string[] = [];
  const stateWords =
    run.state === "running" ? runningLabel(run.phase) : (phaseNames[run.state] ?? run.state);
  card.push(`<p class="state ${run.state}" role="status">${escapeHtml(stateWords)}</p>`);
  card.push(`<dl class="facts">${renderFacts(params)}</dl>`);

  const pr = run.result?.pullRequest;
  if (pr) {
    card.push(
      `<p class="outcome">Pull request: <a href="${escapeHtml(pr.url)}">#${pr.number}</a>${
        run.branch
          ? ` from branch <a href="${escapeHtml(`${repoUrl}/tree/${run.branch.split("/").map(encodeURIComponent).join("/")}`)}"><code>${escapeHtml(run.branch)}</code></a>`
          : ""
      }</p>`,
    );
  }
  if (run.state === "succeeded" && !pr) {
    card.push(`<p class="outcome">The agent changed nothing, so there is no pull request.</p>`);
  }
  if (run.state === "failed" && run.errorCategory) {
    // As the status comment: a plain title first, the code after it in small type, then
    // what happened and what to do (the run's own advice, else the category's).
    const category = failureCategory(run.errorCategory);
    card.push(
      `<p class="error"><strong>${escapeHtml(category.title)}</strong> <small><code>${escapeHtml(run.errorCategory)}</code></small></p>`,
    );
    if (run.errorMessage) card.push(`<p class="error">${escapeHtml(run.errorMessage)}</p>`);
    card.push(
      `<p class="what-to-do"><strong>What to do:</strong> ${renderInlineCode(params.whatToDo ?? category.whatToDo)}</p>`,
    );
  } else if (run.errorMessage && run.state !== "succeeded") {
    card.push(`<p class="error">${escapeHtml(run.errorMessage)}</p>`);
  }
  card.push(
    renderActions(
      run.id,
      params.actions,
      pr ? `<a class="button primary" href="${escapeHtml(pr.url)}">View pull request</a>` : "",
    ),
  );
  parts.push(`<div class="card">${card.join("")}</div>`);
  // A run that changed nothing has only the agent's answer to show, so it shows that.
  const message = run.result?.summary || (!pr ? run.result?.answer : undefined);
  if (message) parts.push(`<div class="message">${escapeHtml(message)}</div>`);

  parts.push(
    `<dl><dt>Asked by</dt><dd>@${escapeHtml(run.requesterLogin)}</dd>${
      run.actingLogin ? `<dt>Acting as</dt><dd>@${escapeHtml(run.actingLogin)}</dd>` : ""
    }<dt>Model</dt><dd><code>${escapeHtml(run.model ?? "default")}</code></dd><dt>Trigger</dt><dd>${escapeHtml(Object.hasOwn(triggerWords, run.trigger) ? (triggerWords[run.trigger] ?? run.trigger) : run.trigger)}</dd>${
      run.retryOf
        ? `<dt>Retry of</dt><dd><a href="/runs/${run.retryOf}">run ${run.retryOf}</a></dd>`
        : ""
    }</dl>`,
  );

  const timeline = renderTimeline(params.milestones, run, params.now);
  if (timeline) parts.push(`<h2>Timeline</h2>${timeline}`);

  const todos = renderTodos(params.todos);
  if (todos) {
    // Once the run is over the list no longer changes: it is what the agent last planned,
    // not a record of what got done.
    parts.push(
      isFinished(run.state)
        ? `<h2>The agent's last plan</h2><ul class="todos">${todos}</ul>`
        : `<h2>Todo list</h2><ul class="todos">${todos}</ul>`,
    );
  }

  const files = renderChangedFiles({
    files: run.result?.filesChanged ?? [],
    ...(params.diff ? { diff: params.diff } : {}),
    ...(pr ? { moreUrl: `${pr.url}/files` } : {}),
  });
  if (files) parts.push(files);
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

/**
 * The card's facts: how long it took (while running, a counter the page's script ticks;
 * its HTML stays the same so the live summary is not resent every second), the cost or
 * why there is none, and the tokens counted as the status comment counts them.
 */
function renderFacts(params: { run: Run; priced?: boolean }): string {
  const { run } = params;
  const facts: string[] = [];
  if (run.startedAt && run.finishedAt) {
    facts.push(
      `<dt>Took</dt><dd>${formatSeconds(Math.max(0, (run.finishedAt.getTime() - run.startedAt.getTime()) / 1000))}</dd>`,
    );
  } else if (run.startedAt) {
    facts.push(
      `<dt>Running for</dt><dd><span class="elapsed" data-since="${run.startedAt.toISOString()}">since ${formatTime(run.startedAt)} UTC</span></dd>`,
    );
  } else if (!isFinished(run.state)) {
    facts.push(
      `<dt>Waiting</dt><dd><span class="elapsed" data-since="${run.createdAt.toISOString()}">since ${formatTime(run.createdAt)} UTC</span></dd>`,
    );
  }
  if (run.startedAt) {
    facts.push(
      `<dt>Started</dt><dd><span class="utc">${run.startedAt.toISOString().slice(0, 10)} ${formatTime(run.startedAt)} UTC</span></dd>`,
    );
  }
  const usage = run.result?.usage;
  const counted = usage && usage.input + usage.output + usage.cacheRead > 0;
  const model = `<code>${escapeHtml(run.model ?? "default")}</code>`;
  let cost: string;
  if (usage && usage.cost > 0) cost = `$${usage.cost.toFixed(4)}`;
  else if (counted && params.priced === false) cost = `none: no price for ${model}`;
  else if (counted && params.priced === true) cost = `$0 (${model} is priced at nothing)`;
  else if (counted) cost = "$0";
  else if (isFinished(run.state)) cost = "none: no model calls were counted";
  else cost = "counted when the run ends";
  facts.push(`<dt>Cost</dt><dd class="cost">${cost}</dd>`);
  if (usage && counted) {
    facts.push(`<dt>Tokens</dt><dd class="usage">${escapeHtml(formatTokenUsage(usage))}</dd>`);
  }
  return facts.join("");
}

function renderActions(runId: number, actions: RunActions, first: string): string {
  const forms: string[] = first ? [first] : [];
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
