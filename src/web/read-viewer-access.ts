import type { Logger } from "pino";
import type { GitHubApp } from "../github/create-github-app.js";
import { mayTrigger } from "../triggers/may-trigger.js";
import { type RepositoryRole, readPermission } from "../triggers/read-permission.js";
import type { Session } from "./create-session-signer.js";

/**
 * What a visitor may see and do on a repository's run pages. `transient`: GitHub could
 * not say just now (a 5xx, a timeout, a rate limit), so the answer is the fail-closed
 * one for this view only and must not be remembered.
 */
export type ViewerAccess =
  /** Private repository, nobody signed in: sign in first. */
  | { kind: "sign_in" }
  /** Not theirs to see (or gone): answered like a page that does not exist. */
  | { kind: "hidden"; transient?: true }
  | { kind: "visible"; private: boolean; canWrite: boolean; session?: Session; transient?: true };

/** GitHub's own trouble rather than an answer: no status (network), 5xx, 429, a rate limit. */
function isTransient(error: unknown): boolean {
  const { status, message } = error as { status?: unknown; message?: unknown };
  if (typeof status !== "number") return true;
  if (status >= 500 || status === 429) return true;
  return status === 403 && typeof message === "string" && /rate limit/i.test(message);
}

/** A page view waits for GitHub one quick retry at most (not the plugin's 14 s of backoff). */
const quickly = { retries: 1, retryAfter: 1 };

/**
 * Reads, through the installation, whether the repository is private and the signed-in
 * person's role there. Anyone sees runs of a public repository; only people with read
 * access see a private one's. Write access (Cancel, Retry) needs a signed-in writer.
 * The repository is looked up by its id when given (a run's), since names move: a
 * renamed private repository's runs must not follow its old name to a new public one.
 * The role is the session's user id's: a login may have changed hands since sign-in.
 * Fails closed: when GitHub cannot say, a private repository stays hidden (and nobody
 * may write); when that is GitHub's passing trouble, the answer says `transient`.
 */
export async function readViewerAccess(params: {
  github: GitHubApp;
  installationId: number;
  /** The stored `owner/name`: looked up only when `repositoryId` is absent. */
  repository: string;
  repositoryId?: number;
  session: Session | undefined;
  log: Logger;
}): Promise<ViewerAccess> {
  const { session } = params;
  let owner: string;
  let name: string;
  let isPrivate: boolean;
  let octokit: Awaited<ReturnType<GitHubApp["installation"]>>;
  try {
    octokit = await params.github.installation(params.installationId);
    const { data } =
      params.repositoryId === undefined
        ? await octokit.rest.repos.get({
            owner: params.repository.split("/")[0] ?? "",
            repo: params.repository.split("/")[1] ?? "",
            request: quickly,
          })
        : await octokit.request("GET /repositories/{repository_id}", {
            repository_id: params.repositoryId,
            request: quickly,
          });
    if (params.repositoryId !== undefined && data.id !== params.repositoryId) {
      params.log.info(
        { repository: params.repository, answered: data.id },
        "repository id answered as another",
      );
      return { kind: "hidden" };
    }
    owner = data.owner.login;
    name = data.name;
    isPrivate = data.private;
  } catch (error) {
    const transient = isTransient(error);
    params.log.info(
      { err: error, repository: params.repository, transient },
      "repository not readable",
    );
    return transient ? { kind: "hidden", transient } : { kind: "hidden" };
  }
  if (isPrivate && !session) return { kind: "sign_in" };
  let role: RepositoryRole | undefined;
  let transient = false;
  if (session) {
    role = await readPermission(octokit, { owner, name }, session.login, session.userId).catch(
      (error) => {
        transient = isTransient(error);
        params.log.warn({ err: error, login: session.login, transient }, "permission check failed");
        return undefined;
      },
    );
  }
  const mark = transient ? ({ transient: true } as const) : {};
  if (isPrivate && (!role || role === "none")) return { kind: "hidden", ...mark };
  return {
    kind: "visible",
    private: isPrivate,
    canWrite: role !== undefined && mayTrigger(role, session?.login),
    ...(session ? { session } : {}),
    ...mark,
  };
}
