import type { Queryable } from "../db/queryable.js";
import type { ActingIdentity } from "../github/acting-identity.js";
import type { GitHubApp } from "../github/create-github-app.js";
import { noreplyEmail } from "../github/noreply-email.js";
import { RunError } from "../runs/run-error.js";
import { signInUrl } from "../web/sign-in-url.js";
import type { UserTokens } from "./create-user-tokens.js";

/**
 * Whom a run acts as, so the branch, commits and pull request belong to a person: the
 * requester if they authorized Ship; else, only where the operator opted in
 * (`installerStandsIn`, SHIP_INSTALLER_STANDS_IN), the person who installed Ship on this
 * account; else the run stops (before any sandbox) with a link to authorize Ship. Without
 * the opt-in any writer would act with the installer's rights (perhaps an owner's, who
 * may bypass branch protection or approve their own "someone else's" pull request).
 * With `actAs: "app"` the run acts as Ship's bot instead.
 */
export async function resolveActingIdentity(deps: {
  db: Queryable;
  github: GitHubApp;
  tokens: UserTokens;
  actAs: "user" | "app";
  githubUrl: string;
  publicUrl: string;
  installationId: number;
  /** The installer's token may serve a requester who never authorized Ship; off when absent. */
  installerStandsIn?: boolean;
  requester: { id: number; login: string };
  /** How long the token must stay valid: the rest of the run. */
  validForMs: number;
}): Promise<ActingIdentity> {
  if (deps.actAs === "app") {
    const bot = await deps.github.botIdentity(deps.installationId);
    return {
      login: bot.login,
      octokit: await deps.github.installation(deps.installationId),
      author: { name: bot.name, email: bot.email },
    };
  }
  let installerId: number | undefined;
  if (deps.installerStandsIn === true) {
    const { rows } = await deps.db.query<{ id: string | null }>(
      "SELECT installer_id AS id FROM installations WHERE id = $1",
      [deps.installationId],
    );
    installerId = rows[0]?.id ? Number(rows[0].id) : undefined;
  }
  for (const userId of [deps.requester.id, installerId]) {
    if (userId === undefined) continue;
    const user = await deps.tokens.forUser(userId, deps.validForMs);
    if (!user) continue;
    return {
      login: user.login,
      octokit: deps.github.userClient(user.token),
      author: {
        name: user.login,
        email: noreplyEmail(deps.githubUrl, { id: userId, login: user.login }),
      },
    };
  }
  throw new RunError({
    category: "authorization",
    message: deps.installerStandsIn
      ? `Ship acts as a person so that the pull request and commits are theirs, and neither @${deps.requester.login} nor the person who installed Ship has authorized it yet.`
      : `Ship acts as the person who asked, so that the pull request and commits are theirs, and @${deps.requester.login} has not authorized Ship yet.`,
    whatToDo: `[Authorize Ship](${signInUrl(deps.publicUrl)}) as @${deps.requester.login}, then comment \`/ship retry\`.`,
  });
}
