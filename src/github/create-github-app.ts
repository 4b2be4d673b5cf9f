import type { Probot } from "probot";
import type { GitHubClient } from "./github-client.js";
import { githubOctokit } from "./github-octokit.js";
import { noreplyEmail } from "./noreply-email.js";

/** Ship as a GitHub App: clients and tokens for its installations. */
export interface GitHubApp {
  appId: number;
  /** A client acting as the installation (Ship's bot): comments, reactions, labels. */
  installation(installationId: number): Promise<GitHubClient>;
  /**
   * A short-lived installation token that can only read the contents of one
   * repository: the only GitHub credential that ever enters a sandbox (for the clone).
   */
  readOnlyToken(installationId: number, repositoryName: string): Promise<string>;
  /** A client acting as a person, with their user-to-server token. */
  userClient(token: string): GitHubClient;
  /** The app's bot user (`<slug>[bot]`), as commits and PRs made with the app's token show it. */
  botIdentity(
    installationId: number,
  ): Promise<{ login: string; id: number; name: string; email: string }>;
}

/** Ship's GitHub App on top of a Probot instance (which signs the app JWTs). */
export function createGitHubApp(params: {
  probot: Probot;
  appId: number;
  githubUrl: string;
  githubApiUrl: string;
  throttle: boolean;
}): GitHubApp {
  const { probot, appId, githubUrl } = params;
  const Octokit = githubOctokit(params.throttle);
  let bot: Promise<{ login: string; id: number; name: string; email: string }> | undefined;
  return {
    appId,
    installation: (installationId) => probot.auth(installationId),
    userClient: (token) =>
      new Octokit({ auth: { token }, baseUrl: params.githubApiUrl, log: probot.log }),
    async readOnlyToken(installationId, repositoryName) {
      const app = await probot.auth();
      const { data } = await app.request(
        "POST /app/installations/{installation_id}/access_tokens",
        {
          installation_id: installationId,
          repositories: [repositoryName],
          permissions: { contents: "read", metadata: "read" },
        },
      );
      return (data as { token: string }).token;
    },
    botIdentity(installationId) {
      bot ??= (async () => {
        const app = await probot.auth();
        const { data } = await app.request("GET /app");
        const login = `${(data as { slug: string }).slug}[bot]`;
        // Only /app itself takes the app's JWT; other routes need an installation token.
        const installation = await probot.auth(installationId);
        const { data: user } = await installation.request("GET /users/{username}", {
          username: login,
        });
        const id = (user as { id: number }).id;
        return { login, id, name: login, email: noreplyEmail(githubUrl, { id, login }) };
      })();
      bot.catch(() => {
        bot = undefined;
      });
      return bot;
    },
  };
}
