import { createHmac, randomUUID } from "node:crypto";
import { connect } from "node:net";
import { sign, verify } from "@octokit/webhooks-methods";
import fc from "fast-check";
import { jobSchedules } from "../../src/queue/job-registry.js";
import type { WebServer } from "../../src/web/start-web-server.js";
import type { TestDatabase } from "../helpers/create-test-database.js";
import { startWebhookServer, type WebhookServer } from "../helpers/start-webhook-server.js";
import { webhookExample } from "../helpers/webhook-example.js";

const secret = "webhook secret for tests";
const signatureHeader = "x-hub-signature-256";

/** GitHub's scheme, written out: HMAC-SHA256 of the raw body with the secret, in hex. */
const hmac = (algorithm: "sha1" | "sha256", key: string, body: Buffer | string) =>
  createHmac(algorithm, key).update(body).digest("hex");

interface Payload {
  installation?: { id: number };
  comment: { body: string };
  repository: { full_name: string };
  sender: { login: string };
}

/** A real `issue_comment.created` delivery that, signed, starts a run. */
function basePayload(): Payload {
  const payload = webhookExample<Payload>(
    "issue_comment",
    "created",
    (e) => e.installation !== undefined,
  );
  payload.installation = { id: 4242 };
  payload.comment.body = "/ship add a README";
  return payload;
}

interface Reply {
  status: number;
  text: string;
}

/**
 * Sends bytes exactly as written (header names, case, whitespace, duplicates) over a raw
 * socket, so that nothing between the test and Ship's server tidies the request up.
 */
function rawPost(port: number, headerLines: string[], body: Buffer): Promise<Reply> {
  const head = [
    "POST /api/github/webhooks HTTP/1.1",
    `Host: 127.0.0.1:${port}`,
    ...headerLines,
    `Content-Length: ${body.length}`,
    "Connection: close",
    "",
    "",
  ].join("\r\n");
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    const chunks: Buffer[] = [];
    let failure: Error | undefined;
    socket.setTimeout(15_000, () => socket.destroy(new Error("no answer within 15 s")));
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", (error) => {
      failure = error;
    });
    socket.on("close", () => {
      const response = Buffer.concat(chunks).toString("utf8");
      const status = /^HTTP\/1\.1 (\d{3})/.exec(response);
      if (!status?.[1]) {
        reject(failure ?? new Error(`not an HTTP response: ${JSON.stringify(response)}`));
        return;
      }
      const split = response.indexOf("\r\n\r\n");
      resolve({ status: Number(status[1]), text: split < 0 ? "" : response.slice(split + 4) });
    });
    // Not end(): a client that half-closes its side makes Node's server abort the request.
    socket.write(Buffer.concat([Buffer.from(head, "latin1"), body]));
  });
}

function commonHeaders(deliveryId: string): string[] {
  return [
    "Content-Type: application/json",
    "User-Agent: GitHub-Hookshot/test",
    "X-GitHub-Event: issue_comment",
    `X-GitHub-Delivery: ${deliveryId}`,
  ];
}

/** One tampered request: what was done, the body sent and its signature header lines. */
interface Mutant {
  kind: string;
  body: Buffer;
  signatureLines: string[];
}

/** All the ways a delivery can be wrong while staying close to a valid one. */
function mutants(base: { payload: Payload; body: Buffer }): fc.Arbitrary<Mutant> {
  const { body } = base;
  const good = hmac("sha256", secret, body);
  const hex = [..."0123456789abcdef"];
  const printable = fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c));
  // Orthogonal to every mutation: header names are case-insensitive and a value's
  // surrounding spaces or tabs are not part of it (HTTP), so these change nothing.
  const name = fc.mixedCase(fc.constant(signatureHeader));
  const space = fc.constantFrom("", " ", "  ", "\t", " \t");
  const line = (value: fc.Arbitrary<string>) =>
    fc
      .tuple(name, space, value, space)
      .map(([n, before, v, after]) => [`${n}:${before}${v}${after}`]);
  const withValue = (kind: string, value: fc.Arbitrary<string>): fc.Arbitrary<Mutant> =>
    line(value).map((signatureLines) => ({ kind, body, signatureLines }));
  const signedBody = (kind: string, mutated: fc.Arbitrary<Buffer>): fc.Arbitrary<Mutant> =>
    fc
      .tuple(mutated, name)
      .filter(([b]) => !b.equals(body))
      .map(([b, n]) => ({ kind, body: b, signatureLines: [`${n}: sha256=${good}`] }));

  const bad = fc.oneof(
    fc.constant(`sha256=${"0".repeat(64)}`),
    fc.constant(`sha256=${good.slice(0, 63)}`),
    fc.constant(`sha1=${hmac("sha1", secret, body)}`),
    fc.constant(good),
  );

  return fc.oneof(
    // The signature's hex digits.
    withValue(
      "hex: one digit replaced",
      fc
        .record({ i: fc.nat(63), c: fc.oneof(fc.constantFrom(...hex), printable) })
        .filter(({ i, c }) => good[i] !== c)
        .map(({ i, c }) => `sha256=${good.slice(0, i)}${c}${good.slice(i + 1)}`),
    ),
    withValue(
      "hex: one character inserted",
      fc
        .record({ i: fc.nat(64), c: fc.oneof(fc.constantFrom(...hex), printable) })
        .map(({ i, c }) => `sha256=${good.slice(0, i)}${c}${good.slice(i)}`),
    ),
    withValue(
      "hex: characters deleted",
      fc
        .record({ i: fc.nat(63), n: fc.integer({ min: 1, max: 4 }) })
        .map(({ i, n }) => `sha256=${good.slice(0, i)}${good.slice(i + n)}`),
    ),
    withValue(
      "hex: truncated or extended",
      fc.oneof(
        fc.nat(63).map((k) => `sha256=${good.slice(0, k)}`),
        fc
          .string({ unit: fc.constantFrom(...hex), minLength: 1, maxLength: 8 })
          .map((more) => `sha256=${good}${more}`),
      ),
    ),
    withValue(
      "hex: two neighbours swapped",
      fc
        .nat(62)
        .filter((i) => good[i] !== good[i + 1])
        .map((i) => `sha256=${good.slice(0, i)}${good[i + 1]}${good[i]}${good.slice(i + 2)}`),
    ),
    withValue("hex: upper case", fc.constant(`sha256=${good.toUpperCase()}`)),
    // The algorithm prefix.
    withValue(
      "wrong prefix",
      fc
        .constantFrom(
          "",
          "sha1=",
          "sha512=",
          "SHA256=",
          "Sha256=",
          "sha256:",
          "sha-256=",
          "sha256==",
          "=",
          "sha256",
          "sha 256=",
          "v1,sha256=",
          "sha256=sha256=",
        )
        .map((prefix) => `${prefix}${good}`),
    ),
    withValue(
      "sha1 signature in the sha256 header",
      fc.constant(`sha1=${hmac("sha1", secret, body)}`),
    ),
    // The header itself.
    fc
      .constantFrom<string[]>(
        [],
        [`X-Hub-Signature: sha1=${hmac("sha1", secret, body)}`],
        [`X-Hub-Signature: sha256=${good}`],
      )
      .map((signatureLines) => ({ kind: "header missing", body, signatureLines })),
    withValue("header empty", fc.constantFrom("", " ", "\t", "   ")),
    fc
      .constantFrom(
        "x-hub-signature-256x",
        "x-hub-signature_256",
        "x_hub_signature_256",
        "x-hub-signature-25",
        "xhub-signature-256",
        "x-hub-signature-256-",
        "x-hub-signature-2566",
        "x-hub-signature-256 ",
        " x-hub-signature-256",
      )
      .map((n) => ({ kind: "header misnamed", body, signatureLines: [`${n}: sha256=${good}`] })),
    withValue(
      "whitespace or quotes inside the value",
      fc.oneof(
        fc
          .record({
            i: fc.integer({ min: 1, max: 70 }),
            s: fc.constantFrom(" ", "\t", "  ", " \t "),
          })
          .map(({ i, s }) => {
            const value = `sha256=${good}`;
            return `${value.slice(0, i)}${s}${value.slice(i)}`;
          }),
        fc.constantFrom(`"sha256=${good}"`, `'sha256=${good}'`, `sha256="${good}"`),
      ),
    ),
    fc
      .tuple(
        fc.constantFrom<Array<string | null>>(
          [`sha256=${good}`, `sha256=${good}`],
          [`sha256=${good}`, null],
          [null, `sha256=${good}`],
          [`sha256=${good}`, ""],
          ["", `sha256=${good}`],
        ),
        bad,
        name,
        name,
      )
      .map(([values, wrong, first, second]) => ({
        kind: "header duplicated",
        body,
        signatureLines: [`${first}: ${values[0] ?? wrong}`, `${second}: ${values[1] ?? wrong}`],
      })),
    // Whose signature it is.
    withValue(
      "signature of another body",
      fc
        .oneof(
          fc.string({ maxLength: 40 }).map((comment) => {
            const other = structuredClone(base.payload);
            other.comment.body = comment;
            return JSON.stringify(other);
          }),
          fc.constant(JSON.stringify(webhookExample("installation", "created"))),
          fc.constant(body.toString("utf8").replace("/ship add a README", "/ship add a LICENSE")),
          fc.constant(`${body.toString("utf8")}\n`),
        )
        .filter((other) => other !== body.toString("utf8"))
        .map((other) => `sha256=${hmac("sha256", secret, other)}`),
    ),
    withValue(
      "signed with another secret",
      fc
        .oneof(
          fc.string({ maxLength: 40 }),
          fc.constantFrom(
            `${secret}\n`,
            `${secret} `,
            ` ${secret}`,
            secret.toUpperCase(),
            secret.slice(0, -1),
            `${secret}s`,
            "",
          ),
        )
        .filter((other) => other !== secret)
        .map((other) => `sha256=${hmac("sha256", other, body)}`),
    ),
    // The body, after it was signed.
    signedBody(
      "body: one byte changed",
      fc
        .record({ i: fc.nat(body.length - 1), v: fc.nat(255) })
        .filter(({ i, v }) => body[i] !== v)
        .map(({ i, v }) => {
          const changed = Buffer.from(body);
          changed[i] = v;
          return changed;
        }),
    ),
    signedBody(
      "body: one byte inserted",
      fc
        .record({ i: fc.nat(body.length), v: fc.nat(255) })
        .map(({ i, v }) =>
          Buffer.concat([body.subarray(0, i), Buffer.from([v]), body.subarray(i)]),
        ),
    ),
    signedBody(
      "body: whitespace added",
      fc
        .record({
          where: fc.constantFrom("start", "end", "after the first brace"),
          ws: fc.string({
            unit: fc.constantFrom(" ", "\n", "\r\n", "\t"),
            minLength: 1,
            maxLength: 4,
          }),
        })
        .map(({ where, ws }) => {
          const w = Buffer.from(ws);
          if (where === "start") return Buffer.concat([w, body]);
          if (where === "end") return Buffer.concat([body, w]);
          return Buffer.concat([body.subarray(0, 1), w, body.subarray(1)]);
        }),
    ),
    signedBody(
      "body: truncated",
      fc.nat(body.length - 1).map((k) => body.subarray(0, k)),
    ),
    signedBody(
      "body: the same JSON written differently",
      fc.constantFrom(
        Buffer.from(JSON.stringify(base.payload, null, 2)),
        Buffer.from(JSON.stringify(base.payload, null, "\t")),
        Buffer.from(JSON.stringify(Object.fromEntries(Object.entries(base.payload).reverse()))),
        Buffer.from(body.toString("utf8").replace("/ship", "\\/ship")),
      ),
    ),
  );
}

describe("Signatures", () => {
  let db: TestDatabase;
  let web: WebServer;
  let server: WebhookServer;
  let githubCalls: string[];
  const base = (() => {
    const payload = basePayload();
    return { payload, body: Buffer.from(JSON.stringify(payload)) };
  })();

  beforeAll(async () => {
    // A GitHub where the commenter may write and the repository has no .github/ship.yml,
    // so that a correctly signed delivery starts a run: the control for the mutants.
    githubCalls = [];
    server = await startWebhookServer({
      secret,
      github: (req, res) => {
        githubCalls.push(`${req.method} ${req.url}`);
        const json = (status: number, body: unknown) =>
          res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
        if (
          req.method === "POST" &&
          /\/app\/installations\/\d+\/access_tokens$/.test(req.url ?? "")
        ) {
          return json(201, {
            token: "ghs_test",
            expires_at: new Date(Date.now() + 3_600_000).toISOString(),
            permissions: { issues: "write", contents: "write", pull_requests: "write" },
            repository_selection: "all",
          });
        }
        if (req.method === "GET" && /\/collaborators\/[^/]+\/permission$/.test(req.url ?? "")) {
          return json(200, { permission: "write", role_name: "write" });
        }
        return json(404, { message: "Not Found" });
      },
    });
    ({ db, web } = server);
  });
  afterAll(async () => {
    await server?.stop();
  });

  /** Rows and jobs a delivery could have left; scheduled (cron) jobs are not ingest's. */
  async function traces() {
    const count = async (sql: string, params: unknown[] = []) =>
      (await db.pool.query<{ n: number }>(sql, params)).rows[0]?.n;
    return {
      deliveries: await count("SELECT count(*)::int AS n FROM deliveries"),
      runs: await count("SELECT count(*)::int AS n FROM runs"),
      jobs: await count("SELECT count(*)::int AS n FROM pgboss.job WHERE name <> ALL($1::text[])", [
        Object.keys(jobSchedules),
      ]),
    };
  }

  it("verifies GitHub's documented test vector", async () => {
    // https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries
    const vectorSecret = "It's a Secret to Everybody";
    const vectorPayload = "Hello, World!";
    const vectorSignature =
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    expect(await verify(vectorSecret, vectorPayload, vectorSignature)).toBe(true);
    expect(await sign(vectorSecret, vectorPayload)).toBe(vectorSignature);
    // The test's own HMAC (used below for Ship) is that same scheme.
    expect(`sha256=${hmac("sha256", vectorSecret, vectorPayload)}`).toBe(vectorSignature);
    expect(await verify(vectorSecret, vectorPayload, vectorSignature.replace(/7$/, "8"))).toBe(
      false,
    );
    expect(await verify(`${vectorSecret} `, vectorPayload, vectorSignature)).toBe(false);
  });

  it("rejects 1,000 tampered deliveries with a 4xx and records nothing", async () => {
    expect(await traces()).toEqual({ deliveries: 0, runs: 0, jobs: 0 });
    const kinds = new Map<string, number>();
    const answers = new Map<string, number>();
    let sent = 0;
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fc.array(mutants(base), { minLength: 10, maxLength: 10 }), async (batch) => {
        const replies = await Promise.all(
          batch.map((mutant) =>
            rawPost(
              web.port,
              [...commonHeaders(randomUUID()), ...mutant.signatureLines],
              mutant.body,
            ),
          ),
        );
        for (const [i, reply] of replies.entries()) {
          const mutant = batch[i] as Mutant;
          sent++;
          kinds.set(mutant.kind, (kinds.get(mutant.kind) ?? 0) + 1);
          const answer = `${reply.status} ${reply.text.trim() || "(empty)"}`;
          answers.set(answer, (answers.get(answer) ?? 0) + 1);
          const seen = { kind: mutant.kind, signatureLines: mutant.signatureLines, answer };
          expect({ ...seen, fourXX: reply.status >= 400 && reply.status < 500 }).toEqual({
            ...seen,
            fourXX: true,
          });
        }
      }),
      { numRuns: 100 },
    );
    const elapsed = Date.now() - started;
    console.log(
      `${sent} tampered deliveries in ${elapsed} ms\nby kind: ${JSON.stringify(Object.fromEntries(kinds), null, 1)}\nanswers: ${JSON.stringify(Object.fromEntries(answers), null, 1)}`,
    );
    expect(sent).toBe(1_000);
    // Every family of mutation was tried.
    expect(kinds.size).toBe(20);
    // Refused because of the signature (or a request HTTP itself refuses), nothing else.
    for (const answer of answers.keys()) {
      expect(answer).toMatch(
        /^400 (\{"error":"(Error: \[@octokit\/webhooks\] signature does not match event payload and secret|Required headers missing: x-hub-signature-256)"\}|\(empty\))$/,
      );
    }
    // Ship did not even ask GitHub anything about these deliveries.
    expect(githubCalls).toEqual([]);
    expect(await traces()).toEqual({ deliveries: 0, runs: 0, jobs: 0 });
  });

  it("accepts the same delivery signed with the secret by GitHub's scheme, and starts a run", async () => {
    // The control for the mutants above: the untampered request, over the same raw socket.
    const deliveryId = randomUUID();
    const signature = `sha256=${hmac("sha256", secret, base.body)}`;
    expect(await sign(secret, base.body.toString("utf8"))).toBe(signature);
    const reply = await rawPost(
      web.port,
      [...commonHeaders(deliveryId), `X-Hub-Signature-256: ${signature}`],
      base.body,
    );
    expect(reply).toEqual({ status: 200, text: "ok\n" });
    const { rows } = await db.pool.query(
      "SELECT event, outcome, repository FROM deliveries WHERE id = $1",
      [deliveryId],
    );
    expect(rows).toEqual([
      {
        event: "issue_comment.created",
        outcome: "run",
        repository: base.payload.repository.full_name,
      },
    ]);
    expect(await traces()).toEqual({ deliveries: 1, runs: 1, jobs: 2 });
  });

  it("reads the header whatever the case of its name and the blanks around its value", async () => {
    // What the mutants above vary alongside each mutation is no mutation by itself.
    const signature = `sha256=${hmac("sha256", secret, base.body)}`;
    const ids: string[] = [];
    for (const header of [
      `x-hub-signature-256: ${signature}`,
      `X-HUB-SIGNATURE-256:${signature}`,
      `x-Hub-Signature-256: \t${signature} \t`,
    ]) {
      const deliveryId = randomUUID();
      ids.push(deliveryId);
      expect(await rawPost(web.port, [...commonHeaders(deliveryId), header], base.body)).toEqual({
        status: 200,
        text: "ok\n",
      });
    }
    const { rows } = await db.pool.query("SELECT id FROM deliveries WHERE id = ANY($1::text[])", [
      ids,
    ]);
    expect(rows).toHaveLength(3);
  });
});
