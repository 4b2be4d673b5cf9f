import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type pg from "pg";
import type { Logger } from "pino";
import { type Budget, formatBudget } from "../config/budget.js";
import type { ShipMetrics } from "../metrics/create-metrics.js";
import type { RunRequest } from "../runs/run-request.js";
import { createRunSlots } from "./create-run-slots.js";
import { type CallUsage, createUsageReader } from "./create-usage-reader.js";
import { effectiveRunBudgets } from "./effective-run-budgets.js";
import { estimateCallUsage } from "./estimate-call-usage.js";
import { type ProviderConfig, type Upstream, upstreamOf } from "./gateway-providers.js";
import { hashGatewayToken } from "./issue-gateway-token.js";
import type { ModelCallRefusal } from "./model-call-refusal.js";
import { findModelPrice, type ModelPrice, priceOf } from "./model-prices.js";
import { refuseNonModelEndpoint } from "./refuse-non-model-endpoint.js";
import { refuseUnmeteredFeatures } from "./refuse-unmetered-features.js";
import { refuseUnsafePath } from "./refuse-unsafe-path.js";
import {
  type Admission,
  type Reservation,
  reservationSeconds,
  reserveModelCall,
} from "./reserve-model-call.js";
import { runModelScope } from "./run-model-scope.js";
import { settleModelCall } from "./settle-model-call.js";
import { upstreamHeaders } from "./upstream-headers.js";

/** A model call's address, once `refuseUnsafePath` has passed its raw path. */
const route = /^\/llm\/runs\/(\d{1,15})\/([A-Za-z0-9_.-]{1,64})(\/.*)$/;
/** Model requests carry the conversation so far: large, but not unbounded. */
const maxBodyBytes = 32 * 1024 * 1024;
/** A waiting call looks again this often, for calls that end in another web process. */
const pollMs = { first: 50, most: 1_000 };
const dropResponse = new Set([
  "connection",
  "content-length",
  "content-encoding",
  "transfer-encoding",
  "keep-alive",
]);

/** What the gateway needs from Ship. */
export interface GatewayDependencies {
  /** A pool: admitting a call takes a transaction. */
  db: pg.Pool;
  providers: Readonly<Record<string, ProviderConfig>>;
  prices: Readonly<Record<string, ModelPrice>>;
  /** SHIP_RUN_BUDGET: a run's limit; its repository's `budget:` may only lower it. */
  runBudget: Budget | undefined;
  /** SHIP_REPO_MONTHLY_BUDGET: what one repository's runs may spend in a calendar month. */
  monthlyBudget: Budget | undefined;
  /** SHIP_GATEWAY_CALLS_IN_FLIGHT: how many calls of one run may be forwarded at once (4). */
  callsInFlight?: number;
  /** How long a call waits for its turn (calls in flight, or budget left) before a 429 (60 s). */
  callWaitMs?: number;
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
 * its work. Before a call goes out its worst cost is reserved (reserve-model-call.ts),
 * so parallel calls pass a budget by at most one call; a run has at most
 * `callsInFlight` calls out, and further ones wait their turn. A model without a price
 * is refused under a budget in dollars (the run's or the month's), which it could
 * otherwise never reach. Bodies that ask the provider for work beyond the metered
 * tokens (provider-side tools, MCP servers, stored state) are refused
 * (refuse-unmetered-features.ts).
 */
export function createGatewayHandler(deps: GatewayDependencies) {
  const callsInFlight = deps.callsInFlight ?? 4;
  const waitLimitMs = deps.callWaitMs ?? 60_000;
  const slots = createRunSlots(callsInFlight);
  /** Calls of a run waiting for one of its calls in this process to end. */
  const waiting = new Map<number, Set<() => void>>();
  const wake = (runId: number) => {
    const waiters = waiting.get(runId);
    waiting.delete(runId);
    for (const waiter of waiters ?? []) waiter();
  };
  /** Waits until `ms` pass, a call of the run ends here, or the caller goes away. */
  const pause = (runId: number, ms: number, signal: AbortSignal) =>
    new Promise<void>((resolve) => {
      const waiters = waiting.get(runId) ?? new Set();
      waiting.set(runId, waiters);
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        waiters.delete(done);
        if (waiters.size === 0 && waiting.get(runId) === waiters) waiting.delete(runId);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done);
      waiters.add(done);
    });
  /** Reserves the call's worst cost, waiting for its turn until `deadline`. */
  const admit = async (
    call: Reservation,
    limits: Parameters<typeof reserveModelCall>[2],
    deadline: number,
    signal: AbortSignal,
  ): Promise<Admission> => {
    let delay = pollMs.first;
    for (;;) {
      const admission = await reserveModelCall(deps.db, call, limits);
      if (admission.kind !== "wait" || signal.aborted) return admission;
      const left = deadline - Date.now();
      if (left <= 0) return admission;
      await pause(call.runId, Math.min(delay, left), signal);
      delay = Math.min(delay * 2, pollMs.most);
    }
  };

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

    const controller = new AbortController();
    res.on("close", () => {
      if (!res.writableFinished) controller.abort();
    });
    // A turn in this process first, before the body is read: a call that waits holds
    // a socket, not its body.
    const deadline = Date.now() + waitLimitMs;
    if (!(await slots.acquire(runId, waitLimitMs, controller.signal))) {
      if (controller.signal.aborted) return true;
      return refuse(protocol, {
        status: 429,
        type: "rate_limit_error",
        message: `This run already has ${callsInFlight} model calls in flight (SHIP_GATEWAY_CALLS_IN_FLIGHT), and none ended within ${waitLimitMs / 1000} s.`,
      });
    }
    try {
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
      const unmetered = refuseUnmeteredFeatures(path, protocol, call.json);
      if (unmetered) return refuse(protocol, unmetered);
      const runBudgets = effectiveRunBudgets(deps.runBudget, run.request.settings?.budget);
      const price = findModelPrice(deps.prices, providerId, model);
      if (!price) {
        // Unpriced, a call costs $0: no dollar budget, the run's or the month's, holds it.
        const runDollars = runBudgets.find((budget) => budget.kind === "usd");
        const monthDollars = deps.monthlyBudget?.kind === "usd" ? deps.monthlyBudget : undefined;
        const held: string[] = [];
        const settings: string[] = [];
        if (runDollars) {
          held.push(`this run to its budget of ${formatBudget(runDollars)}`);
          settings.push("SHIP_RUN_BUDGET");
        }
        if (monthDollars) {
          held.push(`this repository to its monthly budget of ${formatBudget(monthDollars)}`);
          settings.push("SHIP_REPO_MONTHLY_BUDGET");
        }
        if (held.length > 0) {
          return refuse(protocol, {
            status: 403,
            type: "permission_error",
            message: `Ship has no price for the model "${providerId}/${model}", so it cannot hold ${held.join(", nor ")}. Whoever runs Ship can add the price to SHIP_MODEL_PRICES, or set ${settings.join(" and ")} in tokens.`,
          });
        }
      }
      if (path === "/chat/completions" && call.json.stream === true) {
        // Without it a chat stream carries no usage, and the call would count as nothing.
        const options = call.json.stream_options;
        call.json.stream_options = {
          ...(typeof options === "object" && options !== null && !Array.isArray(options)
            ? options
            : {}),
          include_usage: true,
        };
      }
      // Sent as parsed, so the provider reads the very "model" that was checked (a
      // duplicate key could otherwise mean another model to another JSON parser).
      const body = Buffer.from(JSON.stringify(call.json));
      const estimate = estimateCallUsage(path, call.json, body.length);

      const admitted = await admit(
        {
          runId,
          repositoryId: run.repositoryId,
          tokens: estimate.input + estimate.output,
          usd: priceOf(price, estimate),
        },
        { runBudgets, monthlyBudget: deps.monthlyBudget, callsInFlight },
        deadline,
        controller.signal,
      );
      if (admitted.kind === "reached") {
        await deps.db.query("UPDATE runs SET budget_reached = $2 WHERE id = $1", [
          runId,
          admitted.message,
        ]);
        return refuse(protocol, {
          status: 402,
          type: "budget_exceeded",
          message: admitted.message,
        });
      }
      if (admitted.kind === "wait") {
        if (controller.signal.aborted) return true;
        return refuse(protocol, {
          status: 429,
          type: "rate_limit_error",
          message:
            admitted.reason === "calls"
              ? `This run already has ${callsInFlight} model calls in flight (SHIP_GATEWAY_CALLS_IN_FLIGHT), and none ended within ${waitLimitMs / 1000} s.`
              : `This call's worst cost does not fit in what is left of the budget beside the run's calls in flight, and none of them ended within ${waitLimitMs / 1000} s.`,
        });
      }
      const reservationId = admitted.id;
      const heartbeat = setInterval(
        () => {
          deps.db
            .query(
              "UPDATE model_call_reservations SET expires_at = now() + make_interval(secs => $2) WHERE id = $1",
              [reservationId, reservationSeconds],
            )
            .catch((error) =>
              deps.log.warn({ err: error, runId }, "could not extend a reservation"),
            );
        },
        (reservationSeconds * 1000) / 4,
      );
      heartbeat.unref();
      let usage: CallUsage | undefined;
      let dropped = false;
      /** Unsettled (unreachable provider, or an unexpected error): nothing was spent. */
      const dropReservation = async () => {
        if (usage || dropped) return;
        dropped = true;
        await deps.db
          .query("DELETE FROM model_call_reservations WHERE id = $1", [reservationId])
          .catch((error) => deps.log.warn({ err: error, runId }, "could not drop a reservation"));
      };
      let cost = 0;
      try {
        const forwarded = await forward(
          upstream,
          `${path}${query}`,
          req,
          res,
          body,
          controller,
          deps.log.child({ runId, provider: providerId }),
        );
        if ("unreachable" in forwarded) {
          await dropReservation();
          return refuse(protocol, {
            status: 502,
            type: "api_error",
            message: `Ship could not reach the model provider "${providerId}": ${forwarded.unreachable}`,
          });
        }
        const { status, read, reported } = forwarded;
        // A successful model answer reports its usage at its end: one that does not (cut
        // off before its final usage came, too long to read, or from a provider that
        // leaves usage out) is charged at its worst, as reserved, or what it did report
        // where that is more (Anthropic's message_start counts the input exactly).
        // Token counting is free, errors cost nothing.
        usage =
          status >= 200 && status < 300 && !path.endsWith("/count_tokens") && !reported
            ? worstOf(read, estimate)
            : read;
        cost = priceOf(price, usage);
        await settleModelCall(deps.db, reservationId, {
          runId,
          repositoryId: run.repositoryId,
          provider: providerId,
          model,
          status,
          usage,
          cost,
        }).catch((error) => deps.log.warn({ err: error, runId }, "could not record a model call"));
      } finally {
        clearInterval(heartbeat);
        await dropReservation();
        wake(runId);
      }
      for (const [kind, count] of Object.entries(usage ?? {}))
        deps.metrics?.modelTokens.inc({ kind }, count);
      deps.metrics?.modelCost.inc(cost);
      return true;
    } finally {
      slots.release(runId);
    }
  };
}

/**
 * Sends the call to the provider and streams its answer back byte for byte, reading
 * its usage on the way. `unreachable` (with why) when the provider could not be
 * reached: then nothing has been sent back yet.
 */
async function forward(
  upstream: Upstream,
  pathAndQuery: string,
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  controller: AbortController,
  log: Logger,
): Promise<{ status: number; read: CallUsage; reported: boolean } | { unreachable: string }> {
  let answer: Response;
  try {
    answer = await fetch(`${upstream.baseUrl}${pathAndQuery}`, {
      method: "POST",
      headers: upstreamHeaders(req.headers, upstream),
      body,
      signal: controller.signal,
    });
  } catch (error) {
    log.warn({ err: error }, "the model provider could not be reached");
    return { unreachable: (error as Error).message };
  }
  const reader = createUsageReader(answer.headers.get("content-type") ?? "");
  try {
    const headers: Record<string, string> = {};
    answer.headers.forEach((value, key) => {
      if (!dropResponse.has(key)) headers[key] = value;
    });
    res.writeHead(answer.status, headers);
    if (answer.body) {
      for await (const chunk of answer.body as AsyncIterable<Uint8Array>) {
        reader.push(chunk);
        res.write(chunk);
      }
    }
    res.end();
  } catch (error) {
    log.warn({ err: error }, "a model answer was cut off");
    res.destroy();
  }
  const read = reader.end();
  return { status: answer.status, read, reported: reader.reported };
}

/** Field by field, the larger of what an answer reported and what was reserved. */
function worstOf(read: CallUsage, estimate: CallUsage): CallUsage {
  return {
    input: Math.max(read.input, estimate.input),
    output: Math.max(read.output, estimate.output),
    cacheRead: Math.max(read.cacheRead, estimate.cacheRead),
    cacheWrite: Math.max(read.cacheWrite, estimate.cacheWrite),
  };
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
