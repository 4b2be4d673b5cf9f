import type { UserRecord } from "../records.js";
import type { Sim } from "../sim.js";
import { retarget } from "./retarget.js";

/**
 * A user as GitHub embeds one (`simple-user`), built on `template` (an example's user
 * object, so webhook and REST copies keep their own extra fields).
 */
export function renderUser(
  sim: Sim,
  user: UserRecord,
  template: Record<string, unknown> = sim.templates.user(),
): Record<string, unknown> {
  const out = structuredClone(template);
  const { api, web } = sim.urls;
  const oldLogin = encodeURIComponent(String(template.login));
  // A bot's login has brackets: GitHub percent-encodes them in its URLs.
  const login = encodeURIComponent(user.login);
  const isBot = user.type === "Bot";
  retarget(out, [
    [`${api}/users/${oldLogin}`, `${api}/users/${login}`],
    [`${api}/orgs/${oldLogin}`, `${api}/users/${login}`],
    [`${web}/${oldLogin}`, `${web}/${login}`],
  ]);
  out.login = user.login;
  out.id = user.id;
  out.node_id = user.nodeId;
  out.type = user.type;
  out.site_admin = false;
  out.avatar_url = `${web}/avatars/u/${user.id}?v=4`;
  out.gravatar_id = "";
  out.html_url = isBot
    ? `${web}/apps/${user.login.replace(/\[bot\]$/, "")}`
    : `${web}/${user.login}`;
  if ("name" in out) out.name = user.name;
  if ("email" in out) out.email = user.email;
  if ("user_view_type" in out) out.user_view_type = "public";
  return out;
}
