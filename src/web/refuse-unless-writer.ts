import type { ServerResponse } from "node:http";
import type { Logger } from "pino";
import { readRepoConfig } from "../config/read-repo-config.js";
import type { GitHubApp } from "../github/create-github-app.js";
import type { Run } from "../runs/run.js";
import { mayTrigger } from "../triggers/may-trigger.js";
import { readPermission } from "../triggers/read-permission.js";
import type { Session } from "./create-session-signer.js";
import { escapeHtml } from "./escape-html.js";
import { sendPage } from "./send-page.js";

/**
 * Checks, as for a `/ship` comment, that the signed-in person may act on the run's
 * repository (write access, and the repository's own `permission`/`allow` rules).
 * Answers the request with why not and returns true when they may not; fails closed.
 */
export async function refuseUnlessWriter(params: {
  res: ServerResponse;
  github: GitHubApp;
  run: Run;
  session: Session;
  /** What they tried, for the refusal: "retry", "cancel". */
  action: string;
  log: Logger;
}): Promise<boolean> {
  const { res, run, session } = params;
  const [owner, name] = run.repository.split("/") as [string, string];
  const octokit = await params.github.installation(run.installationId);
  const role = await readPermission(octokit, { owner, name }, session.login).catch(() => undefined);
  const repoConfig = await readRepoConfig(octokit, { owner, name }, params.log);
  if (!repoConfig.ok) {
    return sendPage(res, 503, "Please try again", `<p>${escapeHtml(repoConfig.problem)}</p>`);
  }
  if (!role || !mayTrigger(role, session.login, repoConfig.config)) {
    return sendPage(
      res,
      403,
      "Write access needed",
      `<p>@${escapeHtml(session.login)}, only people with write access to ${escapeHtml(run.repository)} can ${escapeHtml(params.action)} Ship's runs.</p>`,
    );
  }
  return false;
}
