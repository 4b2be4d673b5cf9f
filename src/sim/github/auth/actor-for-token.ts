import { HttpError } from "../http/http-error.js";
import type { Sim } from "../sim.js";
import type { Actor } from "./actor.js";

/**
 * The actor a token (installation, personal or user access token) stands for. Unknown,
 * revoked and expired tokens all get GitHub's 401 "Bad credentials".
 */
export function actorForToken(sim: Sim, token: string): Actor {
  const { state, clock } = sim;
  const record = state.tokens.get(token);
  const bad = () =>
    new HttpError(401, "Bad credentials", { documentationUrl: "https://docs.github.com/rest" });
  if (!record) throw bad();
  if (record.kind === "installation") {
    if (record.expiresAt <= clock.now()) throw bad();
    const installation = state.installations.get(record.installationId);
    if (!installation) throw bad();
    if (installation.suspendedAt !== null) {
      throw new HttpError(403, "This installation has been suspended");
    }
    const app = state.app(installation.appId);
    return { type: "installation", token: record, installation, app, user: state.user(app.botId) };
  }
  if (record.kind === "user-to-server") {
    if (record.expiresAt !== null && record.expiresAt <= clock.now()) throw bad();
    return {
      type: "user",
      token: record,
      user: state.user(record.userId),
      app: state.app(record.appId),
    };
  }
  return { type: "user", token: record, user: state.user(record.userId), app: null };
}
