import type { Logger } from "pino";
import type { GitHubApp } from "../github/create-github-app.js";
import { mayTrigger } from "../triggers/may-trigger.js";
import { type RepositoryRole, readPermission } from "../triggers/read-permission.js";
import type { Session } from "./create-session-signer.js";

/** What a visitor may see and do on a repository's run pages. */
export type ViewerAccess =
  /** Private repository, nobody signed in: sign in first. */
  | { kind: "sign_in" }
  /** Not theirs to see (or gone): answered like a page that does not exist. */
  | { kind: "hidden" }
  | { kind: "visible"; private: boolean; canWrite: boolean; session?: Session };

/**
 * Reads, through the installation, whether the repository is private and the signed-in
 * person's role there. Anyone sees runs of a public repository; only people with read
 * access see a private one's. Write access (Cancel, Retry) needs a signed-in writer.
 * The repository is looked up by its id when given (a run's), since names move: a
 * renamed private repository's runs must not follow its old name to a new public one.
 * The role is the session's user id's: a login may have changed hands since sign-in.
 * Fails closed: when GitHub cannot say, a private repository stays hidden.
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
          })
        : await octokit.request("GET /repositories/{repository_id}", {
            repository_id: params.repositoryId,
          });
    if (params.repositoryId !== undefined && data.id !== params.repositoryId) {
      throw new Error(`repository ${params.repositoryId} answered as ${data.id}`);
    }
    owner = data.owner.login;
    name = data.name;
    isPrivate = data.private;
  } catch (error) {
    params.log.info({ err: error, repository: params.repository }, "repository not readable");
    return { kind: "hidden" };
  }
  if (isPrivate && !session) return { kind: "sign_in" };
  let role: RepositoryRole | undefined;
  if (session) {
    role = await readPermission(octokit, { owner, name }, session.login, session.userId).catch(
      (error) => {
        params.log.warn({ err: error, login: session.login }, "permission check failed");
        return undefined;
      },
    );
  }
  if (isPrivate && (!role || role === "none")) return { kind: "hidden" };
  return {
    kind: "visible",
    private: isPrivate,
    canWrite: role !== undefined && mayTrigger(role, session?.login),
    ...(session ? { session } : {}),
  };
}
