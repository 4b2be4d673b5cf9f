import { createPublicKey, generateKeyPair, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import type { AppRecord, Permissions } from "../records.js";
import type { Sim } from "../sim.js";
import { createUser } from "./create-user.js";

const generateRsa = promisify(generateKeyPair);

/** What a new app asks for unless told otherwise: what Ship needs. */
const DEFAULT_PERMISSIONS: Permissions = {
  metadata: "read",
  contents: "write",
  issues: "write",
  pull_requests: "write",
};
const DEFAULT_EVENTS = ["issue_comment", "issues", "pull_request", "pull_request_review_comment"];

/**
 * Registers a GitHub App: id, slug, client id and secret, webhook secret and URL, and a
 * fresh RSA private key (generated off the event loop) unless one is given. Its bot
 * user `<slug>[bot]` is what installation tokens act as.
 */
export async function createApp(
  sim: Sim,
  params: {
    slug: string;
    name?: string;
    /** The owning account's login; created as a user when missing. */
    owner?: string;
    webhookUrl?: string | null;
    webhookSecret?: string;
    /** PEM; reusing one key across tests saves ~100 ms of key generation. */
    privateKey?: string;
    permissions?: Permissions;
    events?: string[];
    callbackUrls?: string[];
    setupUrl?: string | null;
    expireUserTokens?: boolean;
  },
): Promise<AppRecord> {
  const { state } = sim;
  if (!/^[a-z0-9][a-z0-9-]*$/.test(params.slug)) throw new Error(`bad app slug ${params.slug}`);
  if (state.appBySlug(params.slug)) throw new Error(`app ${params.slug} exists`);
  const privateKey =
    params.privateKey ??
    (await generateRsa("rsa", { modulusLength: 2048 })).privateKey
      .export({
        type: "pkcs1",
        format: "pem",
      })
      .toString();
  const ownerLogin = params.owner ?? `${params.slug}-owner`;
  const owner = state.userByLogin(ownerLogin) ?? createUser(sim, { login: ownerLogin });
  const bot = createUser(sim, { login: `${params.slug}[bot]`, type: "Bot" });
  const id = state.nextId("app");
  const now = sim.clock.iso();
  const app: AppRecord = {
    id,
    nodeId: state.nodeId("Integration", id),
    slug: params.slug,
    name: params.name ?? params.slug,
    description: "",
    clientId: `Iv23li${randomBytes(7).toString("hex")}`,
    clientSecret: randomBytes(20).toString("hex"),
    webhookSecret: params.webhookSecret ?? randomBytes(16).toString("hex"),
    webhookUrl: params.webhookUrl ?? null,
    privateKey,
    publicKey: createPublicKey(privateKey),
    ownerId: owner.id,
    botId: bot.id,
    permissions: { ...(params.permissions ?? DEFAULT_PERMISSIONS) },
    events: [...(params.events ?? DEFAULT_EVENTS)],
    callbackUrls: params.callbackUrls ?? [],
    setupUrl: params.setupUrl ?? null,
    expireUserTokens: params.expireUserTokens ?? true,
    createdAt: now,
    updatedAt: now,
  };
  state.apps.set(id, app);
  return app;
}
