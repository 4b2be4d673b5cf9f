import type { ApiRouter } from "../http/api-router.js";
import { HttpError } from "../http/http-error.js";
import type { UserRecord } from "../records.js";
import { renderUser } from "../render/render-user.js";
import type { Sim } from "../sim.js";

/** `GET /user` (who a user token acts as) and `GET /users/{username}`. */
export function handleUsers(router: ApiRouter, sim: Sim): void {
  const profile = (user: UserRecord, example: string, own: boolean) => {
    const out = renderUser(sim, user, sim.templates.example(example));
    const repositories = [...sim.state.repositories.values()].filter(
      (repository) => repository.ownerId === user.id,
    );
    Object.assign(out, {
      name: user.name,
      company: null,
      blog: "",
      location: null,
      email: user.email,
      hireable: null,
      bio: null,
      twitter_username: null,
      public_repos: repositories.filter((repository) => !repository.private).length,
      public_gists: 0,
      followers: 0,
      following: 0,
      created_at: user.createdAt,
      updated_at: user.createdAt,
    });
    if (own) {
      const owned = repositories.filter((repository) => repository.private).length;
      Object.assign(out, {
        private_gists: 0,
        total_private_repos: owned,
        owned_private_repos: owned,
        disk_usage: 0,
        collaborators: 0,
        two_factor_authentication: true,
      });
    }
    return out;
  };

  router.operation("users/get-authenticated", ({ actor }) => {
    if (actor.type === "anonymous") throw new HttpError(401, "Requires authentication");
    if (actor.type !== "user") throw new HttpError(403, "Resource not accessible by integration");
    return {
      status: 200,
      body: profile(
        actor.user,
        "private-user-response-with-public-and-private-profile-information",
        true,
      ),
    };
  });

  router.operation("users/get-by-username", ({ params }) => {
    const user = sim.state.userByLogin(params.username ?? "");
    if (!user) throw new HttpError(404, "Not Found");
    return { status: 200, body: profile(user, "public-user-default-response", false) };
  });
}
