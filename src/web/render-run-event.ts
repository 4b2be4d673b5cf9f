import type { RunEvent } from "../runs/run-event.js";
import { escapeHtml } from "./escape-html.js";
import { formatTime } from "./format-time.js";
import { phaseNames } from "./phase-names.js";
import { renderInlineCode } from "./render-inline-code.js";

/** One entry of a run's log as a list item: when, and what happened in plain words. */
export function renderRunEvent(event: RunEvent): string {
  const text = (key: string) => {
    const value = event.data[key];
    return typeof value === "string" ? value : "";
  };
  let kind = "note";
  let attributes = "";
  let body: string;
  switch (event.kind) {
    case "phase":
      kind = "phase";
      body = escapeHtml(phaseNames[text("phase")] ?? text("phase"));
      break;
    case "run.started":
      kind = "phase";
      body = `Run started${Number(event.data.attempt) > 1 ? ` (attempt ${Number(event.data.attempt)})` : ""}`;
      break;
    case "run.succeeded": {
      kind = "done";
      const pr = event.data.pullRequest as { url?: string; number?: number } | null | undefined;
      body =
        pr?.url && pr.number
          ? `Done: <a href="${escapeHtml(pr.url)}">pull request #${pr.number}</a>`
          : "Done";
      break;
    }
    case "run.failed":
      kind = "failed";
      body = `Failed: ${renderInlineCode(text("message"))}`;
      break;
    case "run.cancelled":
      kind = "failed";
      body = "Cancelled";
      break;
    case "run.interrupted":
      kind = "failed";
      body = "Interrupted: Ship was restarted during the run";
      break;
    case "agent.message":
      kind = "message";
      body = `<div class="message">${escapeHtml(text("text"))}</div>`;
      break;
    case "agent.tool": {
      const status = text("status");
      kind = `tool ${status}`;
      attributes = ` data-call="${escapeHtml(text("callId"))}"`;
      const mark = status === "completed" ? "✓" : status === "error" ? "✗" : "…";
      body = `<span class="mark" aria-label="${escapeHtml(status)}">${mark}</span> ${renderInlineCode(text("title"))}${
        status === "error" && text("error") ? `: ${escapeHtml(text("error"))}` : ""
      }`;
      break;
    }
    case "agent.todos":
      kind = "todos";
      body = `Todo list<ul>${renderTodos(event.data.todos)}</ul>`;
      break;
    case "agent.truncated":
      kind = "phase";
      body = escapeHtml(text("text"));
      break;
    case "agent.error":
      kind = "failed";
      body = `Agent error: ${escapeHtml(text("message"))}`;
      break;
    default:
      body = escapeHtml(event.kind);
  }
  return `<li class="${escapeHtml(kind)}" id="e${event.id}"${attributes}>${formatTime(event.at)} ${body}</li>`;
}

/** Todo items with their state as a check box character a screen reader names. */
export function renderTodos(todos: unknown): string {
  if (!Array.isArray(todos)) return "";
  return todos
    .map((todo: { content?: unknown; status?: unknown }) => {
      const status = String(todo.status ?? "pending");
      const mark =
        status === "completed"
          ? "☑"
          : status === "cancelled"
            ? "☒"
            : status === "in_progress"
              ? "▸"
              : "☐";
      return `<li class="todo ${escapeHtml(status)}"><span aria-label="${escapeHtml(status.replaceAll("_", " "))}">${mark}</span> ${escapeHtml(String(todo.content ?? ""))}</li>`;
    })
    .join("");
}
