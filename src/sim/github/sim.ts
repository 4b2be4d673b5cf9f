import type { Logger } from "pino";
import type { GitHubState } from "./github-state.js";
import type { ResponseTemplates } from "./render/response-templates.js";
import type { SimClock } from "./sim-clock.js";
import type { WebhookSender } from "./webhooks/webhook-sender.js";

/**
 * What every part of one fake GitHub shares: its state, addresses, clock, templates,
 * webhook sender and git storage. Created per server; passed to every operation.
 */
export interface Sim {
  state: GitHubState;
  urls: {
    /** `127.0.0.1:PORT`, for GHE_HOST. */
    host: string;
    /** `http://127.0.0.1:PORT`: web pages, OAuth, git. */
    web: string;
    /** `http://127.0.0.1:PORT/api/v3`. */
    api: string;
    graphql: string;
  };
  templates: ResponseTemplates;
  clock: SimClock;
  webhooks: WebhookSender;
  git: {
    /** GIT_PROJECT_ROOT: repositories live at `<root>/<owner>/<name>.git`. */
    root: string;
    /** HOME for every git process, so no user or system config leaks in. */
    home: string;
  };
  settings: {
    installationTokenTtlSeconds: number;
    userTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
  };
  log: Logger;
}
