import type { UserRecord } from "../records.js";
import type { Sim } from "../sim.js";

/** Adds a user (or an organization, or an app's bot). Logins are unique, ignoring case. */
export function createUser(
  sim: Sim,
  params: {
    login: string;
    type?: UserRecord["type"];
    name?: string | null;
    email?: string | null;
  },
): UserRecord {
  const { state } = sim;
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/.test(params.login)) {
    throw new Error(`"${params.login}" is not a valid GitHub login`);
  }
  if (state.userByLogin(params.login)) throw new Error(`login ${params.login} is taken`);
  const type = params.type ?? "User";
  const id = state.nextId("user");
  const user: UserRecord = {
    id,
    nodeId: state.nodeId(
      type === "Bot" ? "Bot" : type === "Organization" ? "Organization" : "User",
      id,
    ),
    login: params.login,
    type,
    name: params.name ?? null,
    email: params.email ?? null,
    createdAt: sim.clock.iso(),
  };
  state.users.set(id, user);
  return user;
}
