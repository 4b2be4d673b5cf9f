import type { Run } from "../runs/run.js";
import type { RunEvent } from "../runs/run-event.js";
import { escapeHtml } from "./escape-html.js";
import { isTimelineEvent } from "./is-timeline-event.js";
import { pageScript } from "./page-script.js";
import { renderRunEvent } from "./render-run-event.js";

/**
 * Follows the run live: new log entries are appended and the summary replaced as the
 * server sends them (EventSource reconnects by itself, resuming after the last entry).
 * A tool call shows once: its "running" entry gives way to how it ended, and is not
 * added when the page already has that call. The "Starting the agent…" row goes at the
 * first entry; files opened in the diff stay open when the summary is redrawn.
 */
const liveScript = `(()=>{const log=document.getElementById("log"),summary=document.getElementById("summary"),live=document.getElementById("live");
const starting=()=>document.getElementById("starting")?.remove();
const source=new EventSource(location.pathname+"/events?after="+log.dataset.last);
source.addEventListener("entry",e=>{const t=document.createElement("template");t.innerHTML=e.data;const li=t.content.firstElementChild;
if(li&&li.dataset.call){const call='[data-call="'+CSS.escape(li.dataset.call)+'"]';
if(li.classList.contains("running")){if(log.querySelector("li"+call))return}else{const started=log.querySelector("li.running"+call);if(started)started.remove()}}
starting();log.append(t.content);shipPage.localize()});
source.addEventListener("summary",e=>{const open=[...summary.querySelectorAll("details[open]")].map(d=>d.id);summary.innerHTML=e.data;
for(const id of open)document.getElementById(id)?.setAttribute("open","");shipPage.localize();shipPage.tick()});
source.addEventListener("end",()=>{source.close();starting();live.textContent="The run has ended."});})();`;

/**
 * A tool call's "running" entry once the same page holds how it ended: the log shows
 * each call once, as "… Writing" while it runs and "✓ Writing" after.
 */
function withoutFinishedCalls(events: RunEvent[]): RunEvent[] {
  const ended = new Set(
    events
      .filter((event) => event.kind === "agent.tool" && event.data.status !== "running")
      .map((event) => event.data.callId),
  );
  return events.filter(
    (event) =>
      !(
        event.kind === "agent.tool" &&
        event.data.status === "running" &&
        ended.has(event.data.callId)
      ),
  );
}

/**
 * A run's page: the request, the live summary (`renderRunSummary`'s HTML), and the
 * agent's log, newest page first with a link to earlier events when the log is long.
 * With `live`, the page follows the run over Server-Sent Events without reloading.
 */
export function renderRunPage(params: {
  run: Run;
  summary: string;
  events: RunEvent[];
  /** Link to the page of events before these, when there are more. */
  earlierUrl?: string;
  /** Link back to the newest events, when this page shows older ones. */
  latestUrl?: string;
  githubUrl: string;
  live: boolean;
}): { title: string; body: string; script: string } {
  const { run } = params;
  const threadUrl = `${params.githubUrl}/${run.repository}/issues/${run.threadNumber}`;
  const last = params.events.at(-1)?.id ?? 0;
  const shown = withoutFinishedCalls(params.events).filter((event) => !isTimelineEvent(event));
  // OpenCode takes seconds to start; until its first word the page says so and counts.
  const since = run.startedAt ?? run.createdAt;
  const startingRow =
    params.live &&
    !params.latestUrl &&
    !params.events.some((event) => event.kind.startsWith("agent."))
      ? `<li class="starting" id="starting" data-since="${since.toISOString()}">Starting the agent… <span class="seconds"></span></li>`
      : "";
  const body = `<p><a href="${escapeHtml(threadUrl)}">${escapeHtml(run.repository)}#${run.threadNumber}</a> · <a href="/runs?repo=${encodeURIComponent(run.repository)}">all runs</a></p>
<blockquote class="task">${escapeHtml(run.request.task)}</blockquote>
<section id="summary" aria-live="polite">${params.summary}</section>
<h2>Log</h2>
${params.earlierUrl ? `<p><a href="${escapeHtml(params.earlierUrl)}">Earlier events</a></p>` : ""}
<ol class="log" id="log" data-last="${last}">${shown.map(renderRunEvent).join("\n")}${startingRow}</ol>
${params.latestUrl ? `<p><a href="${escapeHtml(params.latestUrl)}">Latest events</a></p>` : ""}
<p id="live" class="live">${params.live ? "Following the run live…" : ""}</p>`;
  return {
    title: `Run ${run.id}: ${shorten(run.request.task)}`,
    body,
    script: params.live ? pageScript + liveScript : pageScript,
  };
}

function shorten(task: string): string {
  const line = task.split("\n")[0]?.trim() ?? "";
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}
