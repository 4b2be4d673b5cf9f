import type { Logger } from "pino";
import { Probot } from "probot";
import type { AppCredentials } from "../config/read-config.js";
import { githubOctokit } from "./github-octokit.js";

/**
 * The process's Probot: it verifies webhooks and authenticates as the app and its
 * installations. With `throttle` off, writes are not spaced out (GitHub asks for about
 * a second between writes; a GitHub Enterprise Server or the local world may not).
 */
export function createProbot(params: {
  app: AppCredentials;
  githubApiUrl: string;
  throttle: boolean;
  log: Logger;
}): Probot {
  const Octokit = githubOctokit(params.throttle);
  return new Probot({
    appId: params.app.appId,
    privateKey: params.app.privateKey,
    secret: params.app.webhookSecret,
    baseUrl: params.githubApiUrl,
    log: params.log.child({ name: "probot" }),
    Octokit,
  });
}
