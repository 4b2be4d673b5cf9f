import type { RunFilters } from "../runs/list-runs-matching.js";
import type { Run, RunState } from "../runs/run.js";
import { escapeHtml } from "./escape-html.js";
import { formatSeconds, formatTime } from "./format-time.js";
import { phaseNames } from "./phase-names.js";
import { triggerWords } from "./trigger-words.js";

/** The states a history can be filtered by, in the order a person thinks of them. */
export const historyStates: readonly RunState[] = [
  "running",
  "queued",
  "succeeded",
  "failed",
  "cancelled",
];

/**
 * A repository's runs as a table (cards on a phone, by CSS alone): the state as a coloured
 * pill, the task, who asked, when, how long, what it cost, the PR. Above it a form that
 * narrows the list by state, person and trigger (plain GET, so a filtered list has a link).
 */
export function renderRunHistory(params: {
  repository: string;
  runs: Run[];
  filters: RunFilters;
  /** People who asked for runs here, for the person filter. */
  requesters: string[];
  /** Link to the next (older) page, when there is one. */
  olderUrl?: string;
  githubUrl: string;
}): string {
  const { filters } = params;
  const option = (value: string, label: string, selected: boolean) =>
    `<option value="${escapeHtml(value)}"${selected ? " selected" : ""}>${escapeHtml(label)}</option>`;
  // Logins compare without case, as GitHub's do: `by=BOB` selects @bob.
  const wanted = filters.requester?.toLowerCase();
  const chosen = params.requesters.find((login) => login.toLowerCase() === wanted);
  const requesters =
    chosen || !filters.requester ? params.requesters : [filters.requester, ...params.requesters];
  const selectedLogin = chosen ?? filters.requester;
  const filtered = Boolean(filters.state || filters.requester || filters.trigger);
  const form = `<form class="filters" method="get" action="/runs"><input type="hidden" name="repo" value="${escapeHtml(params.repository)}">
<label>State<select name="state">${option("", "any", !filters.state)}${historyStates
    .map((state) => option(state, phaseNames[state] ?? state, filters.state === state))
    .join("")}</select></label>
<label>Asked by<select name="by">${option("", "anyone", !filters.requester)}${requesters
    .map((login) => option(login, `@${login}`, selectedLogin === login))
    .join("")}</select></label>
<label>Trigger<select name="trigger">${option("", "any", !filters.trigger)}${Object.entries(
    triggerWords,
  )
    .map(([trigger, words]) => option(trigger, words, filters.trigger === trigger))
    .join("")}</select></label>
<button type="submit">Filter</button>${
    filtered
      ? ` <a href="/runs?repo=${encodeURIComponent(params.repository)}">Show all runs</a>`
      : ""
  }</form>`;
  const intro = `<p><a href="${escapeHtml(`${params.githubUrl}/${params.repository}`)}">${escapeHtml(params.repository)}</a> on GitHub</p>
${form}`;
  if (params.runs.length === 0) {
    return `${intro}<p>${filtered ? "No runs match these filters." : "No runs yet."}</p>`;
  }
  const rows = params.runs.map((run) => {
    const pr = run.result?.pullRequest;
    const took =
      run.startedAt && run.finishedAt
        ? formatSeconds((run.finishedAt.getTime() - run.startedAt.getTime()) / 1000)
        : run.state === "running"
          ? "running"
          : "";
    const task = run.request.task.split("\n")[0] ?? "";
    const trigger = Object.hasOwn(triggerWords, run.trigger)
      ? (triggerWords[run.trigger] ?? run.trigger)
      : run.trigger;
    return `<tr><td data-label="Run"><a href="/runs/${run.id}">${run.id}</a></td><td data-label="State"><span class="pill ${escapeHtml(run.state)}">${escapeHtml(phaseNames[run.state] ?? run.state)}</span></td><td class="task-cell">${escapeHtml(task.length > 80 ? `${task.slice(0, 79)}…` : task)}<br><small>#${run.threadNumber} · ${escapeHtml(trigger)}</small></td><td data-label="Asked by">@${escapeHtml(run.requesterLogin)}</td><td data-label="When">${run.createdAt.toISOString().slice(0, 10)} ${formatTime(run.createdAt)}</td><td data-label="Took">${took}</td><td data-label="Cost">${costOf(run)}</td><td data-label="PR">${pr ? `<a href="${escapeHtml(pr.url)}">#${pr.number}</a>` : ""}</td></tr>`;
  });
  return `${intro}
<div class="table"><table class="runs"><thead><tr><th scope="col">Run</th><th scope="col">State</th><th scope="col">Task</th><th scope="col">Asked by</th><th scope="col">When (UTC)</th><th scope="col">Took</th><th scope="col">Cost</th><th scope="col">PR</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table></div>
${params.olderUrl ? `<p><a href="${escapeHtml(params.olderUrl)}">Older runs</a></p>` : ""}`;
}

/** What the run's model calls cost, as the gateway counted it; empty while unknown. */
function costOf(run: Run): string {
  const usage = run.result?.usage;
  if (!usage) return "";
  if (usage.cost > 0) return `$${usage.cost.toFixed(4)}`;
  return usage.input + usage.output + usage.cacheRead > 0 ? "$0" : "";
}
