import { HttpError } from "../http/http-error.js";
import type { UserRecord } from "../records.js";
import type { Actor } from "./actor.js";

/**
 * Who authors what a request creates: an installation token writes as the app's bot,
 * a user token as its user; `viaAppId` is the app behind the token, if any
 * (`performed_via_github_app`).
 */
export function actingAs(actor: Actor): { user: UserRecord; viaAppId: number | null } {
  if (actor.type === "installation") return { user: actor.user, viaAppId: actor.app.id };
  if (actor.type === "user") return { user: actor.user, viaAppId: actor.app?.id ?? null };
  throw new HttpError(401, "Requires authentication");
}
