import type { ActingIdentity } from "./acting-identity.js";
import type { GitHubApp } from "./create-github-app.js";

/** The identity a run on this installation acts as: for now, the app's own bot. */
export async function resolveActingIdentity(
  github: GitHubApp,
  installationId: number,
): Promise<ActingIdentity> {
  const bot = await github.botIdentity(installationId);
  return {
    login: bot.login,
    octokit: await github.installation(installationId),
    author: { name: bot.name, email: bot.email },
  };
}
