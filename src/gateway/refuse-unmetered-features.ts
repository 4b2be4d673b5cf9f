import type { Upstream } from "./gateway-providers.js";
import type { ModelCallRefusal } from "./model-call-refusal.js";

/**
 * Tool types a body may declare, per protocol: tools the client runs itself. Every
 * other type is a provider-side tool (web search, file search, code interpreter,
 * computer use, image generation, remote MCP, shells, Anthropic's web fetch and code
 * execution ...), which the provider runs and bills on Ship's key beside the tokens
 * the gateway meters. OpenCode declares only its own tools, as `function` (OpenAI) or
 * without a `type` (Anthropic).
 */
const clientToolTypes: Record<Upstream["protocol"], ReadonlySet<string | undefined>> = {
  openai: new Set(["function", "custom"]),
  anthropic: new Set([undefined, "custom"]),
};

/**
 * Body fields that reach past one metered call: remote MCP servers and connectors,
 * code-execution containers, vector stores, server-side conversation state (which
 * could read what other calls on Ship's key left there), the chat API's built-in web
 * search, and background responses (which outlive the call and its metering).
 */
const refusedFields: Record<Upstream["protocol"], readonly string[]> = {
  openai: [
    "mcp_servers",
    "container",
    "previous_response_id",
    "conversation",
    "vector_store_ids",
    "web_search_options",
  ],
  anthropic: ["mcp_servers", "container", "vector_store_ids"],
};

const present = (value: unknown) => value !== undefined && value !== null;

/**
 * Refuses (403, in the provider's shape) a model call that asks the provider for work
 * the gateway cannot meter: provider-side tools, MCP servers, containers, vector
 * stores, stored conversation state, background responses; and (400) a chat call for
 * more than one choice (`n`), whose output the reservation would not cover. A
 * Responses call's `store` is forced to `false` in `json` (OpenCode sends it so
 * anyway): nothing a run does is kept on Ship's account for later calls to reach.
 */
export function refuseUnmeteredFeatures(
  path: string,
  protocol: Upstream["protocol"],
  json: Record<string, unknown>,
): ModelCallRefusal | undefined {
  const forbidden = (what: string): ModelCallRefusal => ({
    status: 403,
    type: "permission_error",
    message: `Ship's gateway does not forward ${what}: the provider would run it on Ship's key, beyond what the gateway meters.`,
  });
  for (const field of refusedFields[protocol]) {
    if (present(json[field])) return forbidden(`calls with "${field}"`);
  }
  if (protocol === "openai" && present(json.background) && json.background !== false) {
    return forbidden('background responses ("background")');
  }
  const tools = json.tools;
  if (present(tools)) {
    if (!Array.isArray(tools)) {
      return {
        status: 400,
        type: "invalid_request_error",
        message: 'Ship\'s gateway forwards "tools" only as a list.',
      };
    }
    for (const tool of tools) {
      const fields =
        typeof tool === "object" && tool !== null && !Array.isArray(tool)
          ? (tool as Record<string, unknown>)
          : {};
      const type = fields.type;
      if (
        !(type === undefined || typeof type === "string") ||
        !clientToolTypes[protocol].has(type)
      ) {
        return forbidden(`provider-side tools (a tool of type ${JSON.stringify(type ?? null)})`);
      }
      for (const field of refusedFields[protocol]) {
        if (present(fields[field])) return forbidden(`tools with "${field}"`);
      }
    }
  }
  if (path === "/chat/completions" && present(json.n) && json.n !== 1) {
    return {
      status: 400,
      type: "invalid_request_error",
      message: `Ship's gateway forwards chat calls for one choice only ("n": 1); not ${JSON.stringify(json.n)}.`,
    };
  }
  if (path === "/responses") json.store = false;
  return undefined;
}
