import type { Sim } from "../sim.js";
import type { Actor } from "./actor.js";
import { actorForToken } from "./actor-for-token.js";
import { verifyAppJwt } from "./verify-app-jwt.js";

/**
 * Who an API request acts as, from its `Authorization` header: `Bearer <JWT>` is the
 * app itself; `token X`, `Bearer X` or Basic with the token as password is that
 * token's actor; nothing is anonymous. Bad credentials throw a 401 `HttpError`.
 */
export async function authenticate(sim: Sim, authorization: string | undefined): Promise<Actor> {
  if (!authorization) return { type: "anonymous" };
  const [scheme = "", ...rest] = authorization.trim().split(/\s+/);
  const credential = rest.join(" ");
  switch (scheme.toLowerCase()) {
    case "bearer":
      // A JWT has three dot-separated parts; a token never contains a dot.
      if (credential.split(".").length === 3) {
        return { type: "app", app: await verifyAppJwt(sim.state, credential, sim.clock.now()) };
      }
      return actorForToken(sim, credential);
    case "token":
      return actorForToken(sim, credential);
    case "basic": {
      const decoded = Buffer.from(credential, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      const user = colon < 0 ? decoded : decoded.slice(0, colon);
      const password = colon < 0 ? "" : decoded.slice(colon + 1);
      return actorForToken(sim, password && password !== "x-oauth-basic" ? password : user);
    }
    default:
      return actorForToken(sim, "");
  }
}
