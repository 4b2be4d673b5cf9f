import type { Run } from "../runs/run.js";
import { escapeHtml } from "./escape-html.js";
import { formatSeconds, formatTime } from "./format-time.js";

/** A repository's runs as a table: state, trigger, who asked, when, how long, the PR. */
export function renderRunHistory(params: {
  repository: string;
  runs: Run[];
  /** Link to the next (older) page, when there is one. */
  olderUrl?: string;
  githubUrl: string;
}): string {
  if (params.runs.length === 0) return "<p>No runs yet.</p>";
  const rows = params.runs.map((run) => {
    const pr = run.result?.pullRequest;
    const took =
      run.startedAt && run.finishedAt
        ? formatSeconds((run.finishedAt.getTime() - run.startedAt.getTime()) / 1000)
        : run.state === "running"
          ? "running"
          : "";
    const task = run.request.task.split("\n")[0] ?? "";
    return `<tr><td><a href="/runs/${run.id}">${run.id}</a></td><td class="${run.state}">${escapeHtml(run.state)}</td><td>${escapeHtml(task.length > 80 ? `${task.slice(0, 79)}…` : task)}<br><small>#${run.threadNumber} · ${escapeHtml(run.trigger.replace("_", " "))}</small></td><td>@${escapeHtml(run.requesterLogin)}</td><td>${run.createdAt.toISOString().slice(0, 10)} ${formatTime(run.createdAt)}</td><td>${took}</td><td>${pr ? `<a href="${escapeHtml(pr.url)}">#${pr.number}</a>` : ""}</td></tr>`;
  });
  return `<p><a href="${escapeHtml(`${params.githubUrl}/${params.repository}`)}">${escapeHtml(params.repository)}</a> on GitHub</p>
<div class="table"><table><thead><tr><th scope="col">Run</th><th scope="col">State</th><th scope="col">Task</th><th scope="col">Asked by</th><th scope="col">When (UTC)</th><th scope="col">Took</th><th scope="col">PR</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table></div>
${params.olderUrl ? `<p><a href="${escapeHtml(params.olderUrl)}">Older runs</a></p>` : ""}`;
}
