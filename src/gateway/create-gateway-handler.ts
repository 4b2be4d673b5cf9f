import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Logger } from "pino";
import { type Budget, formatBudget } from "../config/budget.js";
import type { Queryable } from "../db/queryable.js";
import type { ShipMetrics } from "../metrics/create-metrics.js";
import type { RunRequest } from "../runs/run-request.js";
import { createUsageReader } from "./create-usage-reader.js";
import { type ProviderConfig, type Upstream, upstreamOf } from "./gateway-providers.js";
import { hashGatewayToken } from "./issue-gateway-token.js";
import type { ModelCallRefusal } from "./model-call-refusal.js";
import { findModelPrice, type ModelPrice, priceOf } from "./model-prices.js";
import { readMonthSpend } from "./read-month-spend.js";
import { readRunUsage } from "./read-run-usage.js";
import { recordModelCall } from "./record-model-call.js";
import { refuseNonModelEndpoint } from "./refuse-non-model-endpoint.js";
import { refuseUnsafePath } from "./refuse-unsafe-path.js";
import { runModelScope } from "./run-model-scope.js";
import { upstreamHeaders } from "./upstream-headers.js";

/** A model call's address, once `refuseUnsafePath` has passed its raw path. */
const route = /^\/llm\/runs\/(\d{1,15})\/([A-Za-z0-9_.-]{1,64})(\/.*)$/;
/** Model requests carry the conversation so far: large, but not unbounded. */
const maxBodyBytes = 32 * 1024 * 1024;
const dropResponse = new Set([
  "connection",
  "content-length",
  "content-encoding",
  "transfer-encoding",
  "keep-alive",
]);

/** What the gateway needs from Ship. */
export interface GatewayDependencies {
  db: Queryable;
  providers: Readonly<Record<string, ProviderConfig>>;
  prices: Readonly<Record<string, ModelPrice>>;
  /** SHIP_RUN_BUDGET: a run's limit unless its repository sets `budget:`. */
  runBudget: Budget | undefined;
  /** SHIP_REPO_MONTHLY_BUDGET: what one repository's runs may spend in a calendar month. */
  monthlyBudget: Budget | undefined;
  metrics?: Pick<ShipMetrics, "modelTokens" | "modelCost">;
  log: Logger;
}

/**
 * The model gateway, `/llm/runs/<run id>/<provider id>/<the provider's own path>`: an
 * OpenAI- and Anthropic-compatible proxy for the OpenCode server in a run's sandbox.
 * The caller shows the run's token (as a bearer token or `x-api-key`, however its SDK
 * sends keys); it is valid only for that run and only while the run is running. Ship
 * forwards the request to the provider with the real key, streams the answer back
 * byte for byte (tool calls and all), reads its usage on the way, and records the
 * call with its cost. Once the run's budget or its repository's monthly budget is
 * spent, calls are refused with 402 and the run is marked, so it can stop and keep
 * its work.
 */
export function createGatewayHandler(deps: GatewayDependencies) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    const url = req.url ?? "";
    if (!url.startsWith("/llm/")) return false;
    const queryAt = url.indexOf("?");
    const rawPath = queryAt === -1 ? url : url.slice(0, queryAt);
    const query = queryAt === -1 ? "" : url.slice(queryAt);
    // Until the run's provider is known, answer in the shape the caller's SDK looks like.
    const guessed: Upstream["protocol"] =
      req.headers["x-api-key"] || req.headers["anthropic-version"] ? "anthropic" : "openai";
    const refuse = (protocol: Upstream["protocol"], refusal: ModelCallRefusal) => {
      sendError(res, protocol, refusal.status, refusal.type, refusal.message);
      return true;
    };

    const unsafe = refuseUnsafePath(rawPath);
    if (unsafe) return refuse(guessed, unsafe);
    const match = route.exec(rawPath);
    if (!match) {
      return refuse(guessed, {
        status: 404,
        type: "not_found_error",
        message:
          "Ship's gateway serves model calls at /llm/runs/<run id>/<provider id>/<model endpoint>.",
      });
    }
    const [, runIdText, providerId = "", path = "/"] = match;
    const runId = Number(runIdText);

    const token = presentedToken(req);
    const { rows } = await deps.db.query<{
      state: string;
      repositoryId: number;
      hash: Buffer | null;
      request: RunRequest;
      model: string | null;
    }>(
      `SELECT state::text, repository_id::float8 AS "repositoryId", gateway_token_hash AS hash, request, model
         FROM runs WHERE id = $1`,
      [runId],
    );
    const run = rows[0];
    if (
      !token ||
      !run?.hash ||
      !sameHash(run.hash, hashGatewayToken(token)) ||
      run.state !== "running"
    ) {
      return refuse(guessed, {
        status: 401,
        type: "authentication_error",
        message:
          "Ship's gateway refused this token: it is not valid for this run, or the run has ended.",
      });
    }
    const scope = runModelScope(run.model, deps.providers);
    const runUpstream = scope && upstreamOf(deps.providers, scope.providerId);
    const protocol = runUpstream?.protocol ?? guessed;
    if (!scope) {
      return refuse(protocol, {
        status: 403,
        type: "permission_error",
        message: "This run has no model recorded, so Ship's gateway forwards none of its calls.",
      });
    }
    if (providerId !== scope.providerId) {
      return refuse(protocol, {
        status: 404,
        type: "not_found_error",
        message: `This run uses the provider "${scope.providerId}"; Ship's gateway does not forward its calls to "${providerId}".`,
      });
    }
    if (!runUpstream) {
      return refuse(protocol, {
        status: 404,
        type: "not_found_error",
        message: `Ship has no settings for the provider "${providerId}" (SHIP_PROVIDERS).`,
      });
    }
    const upstream = runUpstream;
    const notModelCall = refuseNonModelEndpoint(req.method ?? "GET", path, protocol);
    if (notModelCall) return refuse(protocol, notModelCall);

    const reached = await budgetReached(
      deps,
      runId,
      run.repositoryId,
      run.request.settings?.budget ?? deps.runBudget,
    );
    if (reached) {
      await deps.db.query("UPDATE runs SET budget_reached = $2 WHERE id = $1", [
        runId,
        reached.message,
      ]);
      return refuse(protocol, { status: 402, type: "budget_exceeded", message: reached.message });
    }

    let raw: Buffer;
    try {
      raw = await readBody(req);
    } catch (error) {
      return refuse(protocol, {
        status: 413,
        type: "invalid_request_error",
        message: (error as Error).message,
      });
    }
    const call = parseCall(raw);
    if (!call) {
      return refuse(protocol, {
        status: 400,
        type: "invalid_request_error",
        message: 'Ship\'s gateway forwards only JSON model calls with a "model".',
      });
    }
    const model = call.model;
    if (!scope.models.has(model)) {
      return refuse(protocol, {
        status: 403,
        type: "permission_error",
        message: `This run uses the model "${run.model}"; Ship's gateway does not forward calls for "${model}".`,
      });
    }
    // Sent as parsed, so the provider reads the very "model" that was checked (a
    // duplicate key could otherwise mean another model to another JSON parser).
    const body = Buffer.from(JSON.stringify(call.json));
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    let answer: Response;
    try {
      answer = await fetch(`${upstream.baseUrl}${path}${query}`, {
        method: "POST",
        headers: upstreamHeaders(req.headers, upstream),
        body,
        signal: controller.signal,
      });
    } catch (error) {
      deps.log.warn(
        { err: error, runId, provider: providerId },
        "the model provider could not be reached",
      );
      return refuse(protocol, {
        status: 502,
        type: "api_error",
        message: `Ship could not reach the model provider "${providerId}": ${(error as Error).message}`,
      });
    }

    const reader = createUsageReader(answer.headers.get("content-type") ?? "");
    const headers: Record<string, string> = {};
    answer.headers.forEach((value, key) => {
      if (!dropResponse.has(key)) headers[key] = value;
    });
    res.writeHead(answer.status, headers);
    try {
      if (answer.body) {
        for await (const chunk of answer.body as AsyncIterable<Uint8Array>) {
          reader.push(chunk);
          res.write(chunk);
        }
      }
      res.end();
    } catch (error) {
      deps.log.warn({ err: error, runId }, "a model answer was cut off");
      res.destroy();
    }
    const usage = reader.end();
    const cost = priceOf(findModelPrice(deps.prices, providerId, model ?? ""), usage);
    await recordModelCall(deps.db, {
      runId,
      repositoryId: run.repositoryId,
      provider: providerId,
      model,
      status: answer.status,
      usage,
      cost,
    }).catch((error) => deps.log.warn({ err: error, runId }, "could not record a model call"));
    for (const [kind, count] of Object.entries(usage))
      deps.metrics?.modelTokens.inc({ kind }, count);
    deps.metrics?.modelCost.inc(cost);
    return true;
  };
}

/** The run's or the repository's budget, if spent, with the sentence to show. */
async function budgetReached(
  deps: GatewayDependencies,
  runId: number,
  repositoryId: number,
  runBudget: Budget | undefined,
): Promise<{ message: string } | undefined> {
  if (runBudget) {
    const used = await readRunUsage(deps.db, runId);
    const tokens = used.input + used.output + used.cacheRead + used.cacheWrite;
    const spent = runBudget.kind === "usd" ? used.cost : tokens;
    if (spent >= runBudget.amount) {
      return {
        message: `This run's budget of ${formatBudget(runBudget)} is reached (${formatBudget({ kind: runBudget.kind, amount: spent })} used).`,
      };
    }
  }
  if (deps.monthlyBudget) {
    const month = await readMonthSpend(deps.db, repositoryId);
    const spent = deps.monthlyBudget.kind === "usd" ? month.cost : month.tokens;
    if (spent >= deps.monthlyBudget.amount) {
      return {
        message: `This repository's monthly budget of ${formatBudget(deps.monthlyBudget)} is reached (${formatBudget({ kind: deps.monthlyBudget.kind, amount: spent })} used this month).`,
      };
    }
  }
  return undefined;
}

function presentedToken(req: IncomingMessage): string | undefined {
  const apiKey = req.headers["x-api-key"];
  if (typeof apiKey === "string" && apiKey) return apiKey;
  const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? "");
  return bearer?.[1];
}

function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The body as JSON with its `model`, or undefined when it is not a model call's. */
function parseCall(body: Buffer): { json: Record<string, unknown>; model: string } | undefined {
  try {
    const json: unknown = JSON.parse(body.toString("utf8"));
    if (typeof json !== "object" || json === null || Array.isArray(json)) return undefined;
    const model = (json as { model?: unknown }).model;
    return typeof model === "string" ? { json: json as Record<string, unknown>, model } : undefined;
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBodyBytes) throw new Error(`The request is larger than ${maxBodyBytes} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** An error in the shape the caller's SDK reads, so OpenCode shows its message. */
function sendError(
  res: ServerResponse,
  protocol: Upstream["protocol"],
  status: number,
  type: string,
  message: string,
): void {
  const body =
    protocol === "anthropic"
      ? { type: "error", error: { type, message } }
      : { error: { message, type, code: type } };
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
