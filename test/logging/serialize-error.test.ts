import { Writable } from "node:stream";
import { RequestError } from "@octokit/request-error";
import { createLogger } from "../../src/logging/create-logger.js";

describe("logging errors", () => {
  it("never writes an HTTP error's request (client secret, refresh token, authorization)", () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = createLogger({ level: "info", format: "json" }, sink);
    const error = new RequestError("Bad credentials", 401, {
      request: {
        method: "POST",
        url: "https://github.com/login/oauth/access_token",
        headers: { authorization: "token ghu_CANARY1" },
        body: { client_secret: "CANARY2", refresh_token: "ghr_CANARY3", code: "CANARY4" },
      },
      response: { status: 401, url: "", headers: {}, data: { error: "bad_refresh_token" } },
    });
    log.warn({ err: new Error("refresh failed", { cause: error }) }, "could not refresh");
    const output = lines.join("");
    expect(output).toContain("Bad credentials");
    expect(output).toContain('"status":401');
    for (const canary of ["CANARY1", "CANARY2", "CANARY3", "CANARY4"])
      expect(output).not.toContain(canary);
  });
});
