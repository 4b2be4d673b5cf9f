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
import { findModelPrice, type ModelPrice, priceOf } from "./model-prices.js";
import { readMonthSpend } from "./read-month-spend.js";
import { readRunUsage } from "./read-run-usage.js";
import { recordModelCall } from "./record-model-call.js";

const route = /^\/llm\/runs\/(\d{1,15})\/([A-Za-z0-9_.-]{1,64})(\/[^?]*)(\?.*)?$/;
/** Model requests carry the conversation so far: large, but not unbounded. */
const maxBodyBytes = 32 * 1024 * 1024;
/** Request headers not passed on: the client's credentials, hop-by-hop, and encodings Ship must read. */
const dropRequest = new Set([
  "host",
  "connection",
  "content-length",
  "authorization",
  "x-api-key",
  "accept-encoding",
  "keep-alive",
  "transfer-encoding",
  "proxy-authorization",
]);
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
    const match = route.exec(req.url ?? "");
    if (!match) return false;
    const [, runIdText, providerId = "", path = "/", query = ""] = match;
    const runId = Number(runIdText);
    const upstream = upstreamOf(deps.providers, providerId);
    const protocol = upstream?.protocol ?? (req.headers["x-api-key"] ? "anthropic" : "openai");
    const refuse = (status: number, type: string, message: string) =>
      sendError(res, protocol, status, type, message);

    const token = presentedToken(req);
    const { rows } = await deps.db.query<{
      state: string;
      repositoryId: number;
      hash: Buffer | null;
      request: RunRequest;
    }>(
      `SELECT state::text, repository_id::float8 AS "repositoryId", gateway_token_hash AS hash, request
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
      refuse(
        401,
        "authentication_error",
        "Ship's gateway refused this token: it is not valid for this run, or the run has ended.",
      );
      return true;
    }
    if (!upstream) {
      refuse(
        404,
        "not_found_error",
        `Ship has no settings for the provider "${providerId}" (SHIP_PROVIDERS).`,
      );
      return true;
    }

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
      refuse(402, "budget_exceeded", reached.message);
      return true;
    }

    let body: Buffer;
    try {
      body = await readBody(req);
    } catch (error) {
      refuse(413, "invalid_request_error", (error as Error).message);
      return true;
    }
    const model = modelOf(body);
    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    let answer: Response;
    try {
      answer = await fetch(`${upstream.baseUrl}${path}${query}`, {
        method: req.method ?? "POST",
        headers: upstreamHeaders(req, upstream),
        ...(body.length > 0 ? { body } : {}),
        signal: controller.signal,
      });
    } catch (error) {
      deps.log.warn(
        { err: error, runId, provider: providerId },
        "the model provider could not be reached",
      );
      refuse(
        502,
        "api_error",
        `Ship could not reach the model provider "${providerId}": ${(error as Error).message}`,
      );
      return true;
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

function upstreamHeaders(req: IncomingMessage, upstream: Upstream): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (dropRequest.has(key) || value === undefined) continue;
    headers[key] = Array.isArray(value) ? value.join(", ") : value;
  }
  Object.assign(headers, upstream.headers);
  if (upstream.apiKey) {
    if (upstream.protocol === "anthropic") headers["x-api-key"] = upstream.apiKey;
    else headers.authorization = `Bearer ${upstream.apiKey}`;
  }
  return headers;
}

function modelOf(body: Buffer): string | undefined {
  try {
    const model = (JSON.parse(body.toString("utf8")) as { model?: unknown }).model;
    return typeof model === "string" ? model : undefined;
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
