import type { IncomingMessage, ServerResponse } from "node:http";
import type { Actor } from "../auth/actor.js";
import { actorForToken } from "../auth/actor-for-token.js";
import { requireRepositoryAccess } from "../auth/require-repository-access.js";
import { readRefs } from "../git/read-refs.js";
import { serveGitHttp } from "../git/serve-git-http.js";
import type { ApiRouter } from "../http/api-router.js";
import { HttpError } from "../http/http-error.js";
import { handlePush } from "../operations/handle-push.js";
import type { Sim } from "../sim.js";

/**
 * Git over smart HTTP at `/{owner}/{repo}.git/...` (the `.git` may be left out), served
 * by `git http-backend`. Basic auth carries a token as the password: installation
 * tokens with the user name `x-access-token`, user tokens with any user name. Reading
 * needs contents read (or a public repository); pushing needs contents write, and
 * updates pull requests whose head moved.
 */
export function handleGit(router: ApiRouter, sim: Sim): void {
  const serve =
    (service: "git-upload-pack" | "git-receive-pack" | "info/refs") =>
    async (
      req: IncomingMessage,
      res: ServerResponse,
      params: Record<string, string>,
      query: URLSearchParams,
    ) => {
      const owner = params.owner ?? "";
      const name = (params.repo ?? "").replace(/\.git$/, "");
      const push =
        service === "git-receive-pack" ||
        (service === "info/refs" && query.get("service") === "git-receive-pack");
      const text = (status: number, message: string, headers: Record<string, string> = {}) => {
        req.resume();
        res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
        res.end(`${message}\n`);
      };
      const challenge = { "www-authenticate": 'Basic realm="GitHub"' };

      let actor: Actor;
      try {
        actor = gitActor(sim, req.headers.authorization);
      } catch {
        text(
          401,
          "Invalid username or token. Password authentication is not supported for Git operations.",
          challenge,
        );
        return;
      }
      let repository: ReturnType<typeof requireRepositoryAccess>;
      try {
        repository = requireRepositoryAccess(sim, actor, owner, name, {
          permission: "contents",
          level: push ? "write" : "read",
          role: push ? "write" : "read",
        });
      } catch (error) {
        if (!(error instanceof HttpError)) throw error;
        if (actor.type === "anonymous") {
          text(401, "Authentication required", challenge);
        } else if (error.status === 404) {
          text(404, "Repository not found.");
        } else {
          const who =
            actor.type === "user" || actor.type === "installation" ? actor.user.login : "you";
          text(403, `Permission to ${owner}/${name}.git denied to ${who}.`);
        }
        return;
      }
      const fullName = sim.state.fullName(repository);
      const before = service === "git-receive-pack" ? await readRefs(repository.gitDir) : undefined;
      await serveGitHttp({
        req,
        res,
        root: sim.git.root,
        home: sim.git.home,
        pathInfo: `/${fullName}.git/${service}`,
        query: query.toString(),
        remoteUser:
          actor.type === "user" || actor.type === "installation" ? actor.user.login : null,
        beforeEnd: async () => {
          if (!before || (actor.type !== "user" && actor.type !== "installation")) return;
          await handlePush(sim, {
            repository,
            before,
            after: await readRefs(repository.gitDir),
            pusher: actor.user,
          }).catch((error: unknown) =>
            sim.log.error({ err: error }, "fake GitHub push handling failed"),
          );
        },
      });
    };

  router.raw("GET", "/:owner/:repo/info/refs", serve("info/refs"));
  router.raw("POST", "/:owner/:repo/git-upload-pack", serve("git-upload-pack"));
  router.raw("POST", "/:owner/:repo/git-receive-pack", serve("git-receive-pack"));
}

/**
 * The actor of a git request's Basic credentials: the token is the password (or the
 * user name with an empty or `x-oauth-basic` password). Installation tokens must come
 * with the user name `x-access-token`, as GitHub documents.
 */
function gitActor(sim: Sim, authorization: string | undefined): Actor {
  if (!authorization) return { type: "anonymous" };
  const [scheme = "", credential = ""] = authorization.trim().split(/\s+/);
  if (scheme.toLowerCase() !== "basic") return actorForToken(sim, credential);
  const decoded = Buffer.from(credential, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  const username = colon < 0 ? decoded : decoded.slice(0, colon);
  const password = colon < 0 ? "" : decoded.slice(colon + 1);
  const token = password && password !== "x-oauth-basic" ? password : username;
  const actor = actorForToken(sim, token);
  if (actor.type === "installation" && token === password && username !== "x-access-token") {
    throw new HttpError(401, "Bad credentials");
  }
  return actor;
}
