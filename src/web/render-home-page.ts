import type { Run } from "../runs/run.js";
import { escapeHtml } from "./escape-html.js";
import { phaseNames } from "./phase-names.js";
import { runningLabel } from "./running-label.js";
import { signInUrl } from "./sign-in-url.js";

/**
 * Ship's front door: what Ship is and how to start, then the repositories the visitor may
 * see, each with its newest run (state, task, when, link) and a link to its history.
 * `runs` holds only repositories already checked as visible to this visitor.
 */
export function renderHomePage(params: { runs: Run[]; signedIn: boolean }): string {
  const start = `<p>Ship turns a request on a GitHub issue into a draft pull request. In a repository where Ship is installed, comment <code>${escapeHtml("/ship <task>")}</code> on an issue (for example <code>${escapeHtml("/ship add a README")}</code>), and Ship answers in the thread with a link to the run's page; <code>/ship help</code> lists the rest.</p>`;
  const signIn = params.signedIn
    ? ""
    : `<p><a href="${escapeHtml(signInUrl("", "/"))}">Sign in</a> to see the private repositories you can read.</p>`;
  if (params.runs.length === 0) {
    return `${start}<h2>Repositories</h2><p>${params.signedIn ? "No repository you can see has a Ship run yet." : "No public repository has a Ship run yet."}</p>${signIn}`;
  }
  const rows = params.runs.map((run) => {
    const words =
      run.state === "running" ? runningLabel(run.phase) : (phaseNames[run.state] ?? run.state);
    const firstLine = run.request.task.split("\n")[0] ?? "";
    const task = firstLine.length > 80 ? `${firstLine.slice(0, 79)}…` : firstLine;
    const history = `/runs?repo=${encodeURIComponent(run.repository)}`;
    return `<tr><td data-label="Repository"><a href="${escapeHtml(history)}">${escapeHtml(run.repository)}</a></td><td data-label="Latest run"><a href="/runs/${run.id}">Run ${run.id}</a> <span class="pill ${run.state}">${escapeHtml(words)}</span><br>${escapeHtml(task)} <small>(#${run.threadNumber}, @${escapeHtml(run.requesterLogin)})</small></td><td data-label="When (UTC)"><time datetime="${run.createdAt.toISOString()}">${run.createdAt.toISOString().slice(0, 16).replace("T", " ")}</time></td></tr>`;
  });
  return `${start}<h2>Repositories</h2>
<div class="table"><table class="runs"><thead><tr><th scope="col">Repository</th><th scope="col">Latest run</th><th scope="col">When (UTC)</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table></div>${signIn}`;
}
