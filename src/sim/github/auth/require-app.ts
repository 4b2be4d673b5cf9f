import { HttpError } from "../http/http-error.js";
import type { AppRecord } from "../records.js";
import type { Actor } from "./actor.js";

/** The app behind a JWT-authenticated request; `/app` endpoints take nothing else. */
export function requireApp(actor: Actor): AppRecord {
  if (actor.type === "app") return actor.app;
  throw new HttpError(401, "A JSON web token could not be decoded", {
    documentationUrl: "https://docs.github.com/rest",
  });
}
