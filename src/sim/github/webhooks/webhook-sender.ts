import { createHmac, randomUUID } from "node:crypto";
import { sign } from "@octokit/webhooks-methods";
import type { Logger } from "pino";
import type { GitHubState } from "../github-state.js";
import type { AppRecord, InstallationRecord, RepositoryRecord } from "../records.js";
import type { SimClock } from "../sim-clock.js";

/** One attempt to deliver a webhook, as GitHub's delivery log shows it. */
export interface WebhookDelivery {
  /** Numeric id of this attempt (a redelivery gets a new one). */
  id: number;
  /** `X-GitHub-Delivery`: the same for a delivery and its redeliveries. */
  guid: string;
  event: string;
  action: string | undefined;
  appId: number;
  installationId: number | null;
  repositoryId: number | null;
  url: string;
  payload: Record<string, unknown>;
  /** The request headers sent, signature included. */
  headers: Record<string, string>;
  redelivery: boolean;
  deliveredAt: string;
  /** "pending" while in flight, then "OK" or why it failed. */
  status: string;
  /** The receiver's HTTP status; 0 when it could not be reached. */
  statusCode: number | undefined;
  durationMs: number | undefined;
  responseBody: string | undefined;
  /** Settles (never rejects) when the attempt is over. */
  done: Promise<WebhookDelivery>;
}

interface SendParams {
  app: AppRecord;
  event: string;
  payload: Record<string, unknown>;
  installationId: number | null;
  repositoryId: number | null;
}

/**
 * Sends webhooks the way GitHub does: one POST per subscribed app, signed with the
 * app's secret, after the API call that caused it has answered; records each attempt.
 */
export class WebhookSender {
  readonly deliveries: WebhookDelivery[] = [];
  private readonly pending = new Set<Promise<WebhookDelivery>>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly deps: {
      state: GitHubState;
      clock: SimClock;
      log: Logger;
      /** Extra wait before each POST, to mimic GitHub's lag. */
      delayMs: number;
      /** GitHub gives up on a receiver after 10 s. */
      timeoutMs: number;
    },
  ) {}

  /**
   * Sends an event about a repository to every app installed on it that subscribes to
   * the event; `build` makes the payload for one installation (GitHub adds
   * `installation` to each copy).
   */
  emitForRepository(
    repository: RepositoryRecord,
    event: string,
    build: () => Record<string, unknown>,
  ): WebhookDelivery[] {
    const sent: WebhookDelivery[] = [];
    for (const installation of this.deps.state.installationsFor(repository)) {
      const app = this.deps.state.app(installation.appId);
      if (!this.subscribed(app, installation, event)) continue;
      const payload = build();
      payload.installation = installationReference(installation, this.deps.state);
      sent.push(
        this.send({
          app,
          event,
          payload,
          installationId: installation.id,
          repositoryId: repository.id,
        }),
      );
    }
    return sent;
  }

  /** Sends one event to one app (installation and authorization events). */
  send(params: SendParams): WebhookDelivery {
    const guid = randomUUID();
    return this.attempt({ ...params, guid, redelivery: false });
  }

  /** Sends a past delivery again with the same `X-GitHub-Delivery` id, as GitHub does. */
  redeliver(guidOrId: string | number): WebhookDelivery {
    const original = [...this.deliveries]
      .reverse()
      .find((delivery) => delivery.guid === guidOrId || delivery.id === guidOrId);
    if (!original) throw new Error(`no delivery ${guidOrId}`);
    return this.attempt({
      app: this.deps.state.app(original.appId),
      event: original.event,
      payload: original.payload,
      installationId: original.installationId,
      repositoryId: original.repositoryId,
      guid: original.guid,
      redelivery: true,
    });
  }

  /** Resolves when every delivery started so far, and any they lead to, has finished. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** The first finished delivery (past or future) that matches, or a timeout error. */
  async waitFor(
    predicate: (delivery: WebhookDelivery) => boolean,
    timeoutMs = 5_000,
  ): Promise<WebhookDelivery> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.deliveries.find((delivery) => predicate(delivery));
      if (found) return found.done;
      if (Date.now() > deadline) {
        throw new Error(`no matching webhook delivery within ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Aborts deliveries in flight (they end as failed) and sends no more. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.settled();
  }

  private subscribed(app: AppRecord, installation: InstallationRecord, event: string): boolean {
    return app.webhookUrl !== null && installation.events.includes(event);
  }

  private attempt(params: SendParams & { guid: string; redelivery: boolean }): WebhookDelivery {
    const { app, event, payload } = params;
    const body = JSON.stringify(payload);
    const headers: Record<string, string> = {
      accept: "*/*",
      "content-type": "application/json",
      "user-agent": "GitHub-Hookshot/fake",
      "x-github-delivery": params.guid,
      "x-github-event": event,
      "x-github-hook-id": String(app.id),
      "x-github-hook-installation-target-id": String(app.id),
      "x-github-hook-installation-target-type": "integration",
      "x-hub-signature": `sha1=${createHmac("sha1", app.webhookSecret).update(body).digest("hex")}`,
    };
    const delivery: WebhookDelivery = {
      id: this.deps.state.nextId("delivery"),
      guid: params.guid,
      event,
      action: typeof payload.action === "string" ? payload.action : undefined,
      appId: app.id,
      installationId: params.installationId,
      repositoryId: params.repositoryId,
      url: app.webhookUrl ?? "",
      payload,
      headers,
      redelivery: params.redelivery,
      deliveredAt: this.deps.clock.iso(),
      status: "pending",
      statusCode: undefined,
      durationMs: undefined,
      responseBody: undefined,
      done: Promise.resolve(undefined as unknown as WebhookDelivery),
    };
    const done = this.post(delivery, body, app.webhookSecret);
    delivery.done = done;
    this.deliveries.push(delivery);
    this.pending.add(done);
    void done.finally(() => this.pending.delete(done));
    return delivery;
  }

  private async post(
    delivery: WebhookDelivery,
    body: string,
    secret: string,
  ): Promise<WebhookDelivery> {
    // Let the API response that caused this event leave first, as on GitHub.
    await new Promise((resolve) => setTimeout(resolve, this.deps.delayMs));
    if (this.stopping.signal.aborted) {
      delivery.statusCode = 0;
      delivery.status = "not sent: the fake GitHub stopped";
      return delivery;
    }
    delivery.headers["x-hub-signature-256"] = await sign(secret, body);
    const started = performance.now();
    try {
      const response = await fetch(delivery.url, {
        method: "POST",
        headers: delivery.headers,
        body,
        signal: AbortSignal.any([AbortSignal.timeout(this.deps.timeoutMs), this.stopping.signal]),
      });
      delivery.responseBody = await response.text();
      delivery.statusCode = response.status;
      delivery.status = response.ok ? "OK" : `Invalid HTTP Response: ${response.status}`;
    } catch (error) {
      delivery.statusCode = 0;
      delivery.status =
        error instanceof Error && error.name === "TimeoutError"
          ? "timed out"
          : `failed to connect: ${error instanceof Error ? error.message : String(error)}`;
    }
    delivery.durationMs = Math.round((performance.now() - started) * 10) / 10;
    this.deps.log.debug(
      {
        guid: delivery.guid,
        event: delivery.event,
        action: delivery.action,
        status: delivery.statusCode,
        durationMs: delivery.durationMs,
      },
      "webhook delivered",
    );
    return delivery;
  }
}

function installationReference(
  installation: InstallationRecord,
  state: GitHubState,
): Record<string, unknown> {
  return { id: installation.id, node_id: state.nodeId("Installation", installation.id) };
}
