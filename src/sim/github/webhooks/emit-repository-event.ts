import type { RepositoryRecord, UserRecord } from "../records.js";
import { renderRepository } from "../render/render-repository.js";
import { renderUser } from "../render/render-user.js";
import type { Sim } from "../sim.js";
import type { WebhookDelivery } from "./webhook-sender.js";

type JsonObject = Record<string, unknown>;

/**
 * Sends `event.action` about a repository to every app installed there. The payload is
 * `action`, the fields `fields` builds (on the sub-objects of a real payload of the
 * event, so each keeps the webhook's own shape), then `repository`, `organization` for
 * an organization's repository, and `sender`; the sender adds `installation`.
 */
export function emitRepositoryEvent(
  sim: Sim,
  params: {
    event: string;
    action: string;
    repository: RepositoryRecord;
    sender: UserRecord;
    fields: (example: JsonObject) => JsonObject;
  },
): WebhookDelivery[] {
  const { event, action, repository, sender } = params;
  return sim.webhooks.emitForRepository(repository, event, () => {
    const example = sim.templates.webhookExample(event);
    const payload: JsonObject = { action, ...params.fields(example) };
    payload.repository = renderRepository(sim, repository, {
      template: example.repository as JsonObject,
    });
    const owner = sim.state.user(repository.ownerId);
    if (owner.type === "Organization") {
      payload.organization = renderOrganization(sim, owner);
    }
    payload.sender = renderUser(sim, sender, example.sender as JsonObject);
    return payload;
  });
}

/** `organization-simple`, as every event about an organization's repository carries it. */
function renderOrganization(sim: Sim, owner: UserRecord): JsonObject {
  const { api, web } = sim.urls;
  const url = `${api}/orgs/${owner.login}`;
  return {
    login: owner.login,
    id: owner.id,
    node_id: owner.nodeId,
    url,
    repos_url: `${url}/repos`,
    events_url: `${url}/events`,
    hooks_url: `${url}/hooks`,
    issues_url: `${url}/issues`,
    members_url: `${url}/members{/member}`,
    public_members_url: `${url}/public_members{/member}`,
    avatar_url: `${web}/avatars/u/${owner.id}?v=4`,
    description: null,
  };
}
