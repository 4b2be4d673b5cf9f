import type pg from "pg";
import { findModelPrice, type ModelPrice } from "../gateway/model-prices.js";
import { listRunEvents } from "../runs/list-run-events.js";
import type { Run } from "../runs/run.js";
import type { ReadRunDiff } from "./create-run-diff-reader.js";
import type { SessionSigner } from "./create-session-signer.js";
import type { ViewerAccess } from "./read-viewer-access.js";
import { type RunActions, renderRunSummary } from "./render-run-summary.js";
import { retryLinkTtlMs } from "./retry-link.js";
import { signInUrl } from "./sign-in-url.js";

/** Kinds of events the summary's timeline is built from. */
const milestoneKinds = ["phase", "run.started"];

/** The signed values a writer's Cancel and Retry forms post. */
export interface ActionTokens {
  cancelCsrf: string;
  retryToken: string;
  retryCsrf: string;
}

/** Signs the forms' values once per page or stream, so the summary's HTML stays stable. */
export function signActionTokens(
  signer: SessionSigner,
  viewer: Extract<ViewerAccess, { kind: "visible" }>,
  runId: number,
): ActionTokens | undefined {
  if (!viewer.canWrite || !viewer.session) return undefined;
  const { userId } = viewer.session;
  return {
    cancelCsrf: signer.sign(`cancel:${userId}:${runId}`, 3_600_000),
    retryToken: signer.sign(`retry:${runId}`, retryLinkTtlMs),
    retryCsrf: signer.sign(`csrf:${userId}:${runId}`, 3_600_000),
  };
}

/**
 * The run's summary as `viewer` sees it: reads the timeline and latest todo list from
 * the event log; a writer gets Cancel (while it runs) or Retry (once it failed or was
 * cancelled), an anonymous visitor a sign-in link.
 */
export async function buildRunSummary(params: {
  pool: pg.Pool;
  run: Run;
  viewer: Extract<ViewerAccess, { kind: "visible" }>;
  tokens: ActionTokens | undefined;
  githubUrl: string;
  /** The branch's diff from GitHub, cached per head commit. */
  readDiff?: ReadRunDiff;
  /** Model prices as the gateway knows them, to say why a run cost nothing. */
  prices?: Readonly<Record<string, ModelPrice>>;
}): Promise<string> {
  const { pool, run, viewer, tokens } = params;
  const [milestones, todos, failed, diff] = await Promise.all([
    listRunEvents(pool, run.id, { kinds: milestoneKinds, limit: 100 }),
    listRunEvents(pool, run.id, { kinds: ["agent.todos"], limit: 1 }),
    run.state === "failed"
      ? listRunEvents(pool, run.id, { kinds: ["run.failed"], limit: 1 })
      : Promise.resolve([]),
    params.readDiff?.(run),
  ]);
  const whatToDo = failed[0]?.data.whatToDo;
  const actions: RunActions = {};
  if (tokens) {
    if (run.state === "queued" || run.state === "running") {
      actions.cancel = { csrf: tokens.cancelCsrf };
    }
    if (run.state === "failed" || run.state === "cancelled") {
      actions.retry = { token: tokens.retryToken, csrf: tokens.retryCsrf };
    }
  } else if (!viewer.session) {
    actions.signIn = signInUrl("", `/runs/${run.id}`);
  }
  return renderRunSummary({
    run,
    milestones,
    todos: todos[0]?.data.todos,
    actions,
    githubUrl: params.githubUrl,
    now: new Date(),
    ...(diff ? { diff } : {}),
    ...(typeof whatToDo === "string" ? { whatToDo } : {}),
    ...(params.prices && run.model ? { priced: isPriced(params.prices, run.model) } : {}),
  });
}

/** Whether `provider/model` has a price the gateway would find. */
function isPriced(prices: Readonly<Record<string, ModelPrice>>, model: string): boolean {
  const slash = model.indexOf("/");
  if (slash < 0) return findModelPrice(prices, "", model) !== undefined;
  return findModelPrice(prices, model.slice(0, slash), model.slice(slash + 1)) !== undefined;
}
