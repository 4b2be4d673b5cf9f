import type { PersonalTokenRecord, UserRecord } from "../records.js";
import type { Sim } from "../sim.js";
import { generateToken } from "./generate-token.js";

/** A personal access token (`ghp_`): acts as the user with all their access, never expires. */
export function createPersonalToken(sim: Sim, user: UserRecord): PersonalTokenRecord {
  const record: PersonalTokenRecord = {
    kind: "personal",
    token: generateToken("ghp"),
    userId: user.id,
  };
  sim.state.tokens.set(record.token, record);
  return record;
}
