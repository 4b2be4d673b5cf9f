import type {
  AppRecord,
  InstallationRecord,
  InstallationTokenRecord,
  PersonalTokenRecord,
  UserRecord,
  UserToServerTokenRecord,
} from "../records.js";

/** Who a request acts as, decided once from its credentials. */
export type Actor =
  | { type: "anonymous" }
  /** A GitHub App authenticated with its JWT: only `/app...` endpoints. */
  | { type: "app"; app: AppRecord }
  /** An installation token: acts as the app's bot user, within the token's scope. */
  | {
      type: "installation";
      token: InstallationTokenRecord;
      installation: InstallationRecord;
      app: AppRecord;
      user: UserRecord;
    }
  /** A personal token, or an app's user token (then `app` is set): acts as the user. */
  | {
      type: "user";
      token: PersonalTokenRecord | UserToServerTokenRecord;
      user: UserRecord;
      app: AppRecord | null;
    };
