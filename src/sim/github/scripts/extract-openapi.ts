import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

/** REST operations the fake serves: their examples and response schemas are kept. */
const OPERATIONS = [
  "apps/get-authenticated",
  "apps/create-installation-access-token",
  "apps/get-installation",
  "apps/list-installations",
  "apps/get-repo-installation",
  "apps/get-org-installation",
  "apps/get-user-installation",
  "apps/list-repos-accessible-to-installation",
  "apps/list-webhook-deliveries",
  "apps/get-webhook-delivery",
  "apps/redeliver-webhook-delivery",
  "apps/delete-authorization",
  "users/get-authenticated",
  "users/get-by-username",
  "repos/get",
  "repos/get-collaborator-permission-level",
  "repos/get-branch",
  "repos/get-content",
  "repos/get-commit",
  "repos/compare-commits",
  "git/get-ref",
  "git/create-ref",
  "git/update-ref",
  "git/delete-ref",
  "git/create-blob",
  "git/create-tree",
  "git/create-commit",
  "git/get-commit",
  "issues/get",
  "issues/list-for-repo",
  "issues/create",
  "issues/update",
  "issues/list-comments",
  "issues/create-comment",
  "issues/get-comment",
  "issues/update-comment",
  "issues/delete-comment",
  "issues/add-assignees",
  "reactions/create-for-issue-comment",
  "reactions/list-for-issue-comment",
  "reactions/create-for-pull-request-review-comment",
  "reactions/list-for-pull-request-review-comment",
  "reactions/create-for-issue",
  "reactions/list-for-issue",
  "issues/add-labels",
  "issues/remove-label",
  "issues/list-labels-on-issue",
  "issues/create-label",
  "issues/get-label",
  "issues/list-labels-for-repo",
  "issues/update-label",
  "issues/delete-label",
  "pulls/create",
  "pulls/get",
  "pulls/list",
  "pulls/update",
  "pulls/list-commits",
  "pulls/list-files",
  "pulls/list-review-comments",
  "pulls/create-review-comment",
  "pulls/create-reply-for-review-comment",
  "pulls/get-review-comment",
  "pulls/request-reviewers",
  "rate-limit/get",
];

/** Webhooks the fake sends, as `event.action`. */
const WEBHOOKS = [
  "issue_comment.created",
  "issue_comment.edited",
  "issue_comment.deleted",
  "issues.opened",
  "issues.edited",
  "issues.closed",
  "issues.reopened",
  "issues.labeled",
  "issues.unlabeled",
  "pull_request.opened",
  "pull_request.edited",
  "pull_request.closed",
  "pull_request.reopened",
  "pull_request.ready_for_review",
  "pull_request.converted_to_draft",
  "pull_request.synchronize",
  "pull_request.labeled",
  "pull_request.unlabeled",
  "pull_request_review_comment.created",
  "installation.created",
  "installation.deleted",
  "github_app_authorization.revoked",
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface OpenApiSpec {
  paths: Record<string, Record<string, JsonObject>>;
  "x-webhooks": Record<string, { post: JsonObject }>;
  components: {
    schemas: Record<string, JsonObject>;
    examples: Record<string, { value: Json }>;
    responses: Record<string, JsonObject>;
  };
}

interface WebhookExampleGroup {
  name: string;
  examples: JsonObject[];
}

/**
 * Reads GitHub's OpenAPI description (from `@octokit/openapi`, ~400 MB, installed
 * outside the repo) and `@octokit/webhooks-examples`, and writes one small JSON file
 * with only what the fake needs: per served operation its response schemas and the
 * name of its example, per sent webhook its payload schema, per event a real payload, and the
 * schemas those reference. Schemas lose their prose (`description`, `example`) to stay
 * small; every validation keyword is kept as GitHub wrote it (OpenAPI 3.0, `nullable`).
 */
export async function extractOpenApi(params: {
  /** `@octokit/openapi`'s `generated/api.github.com.json`. */
  specPath: string;
  /** `@octokit/webhooks-examples`'s `api.github.com/index.json`. */
  webhookExamplesPath: string;
  outFile: string;
}): Promise<{ bytes: number }> {
  const spec = JSON.parse(await readFile(params.specPath, "utf8")) as OpenApiSpec;
  const webhookExamples = JSON.parse(
    await readFile(params.webhookExamplesPath, "utf8"),
  ) as WebhookExampleGroup[];
  const specPackage = await readPackageVersion(params.specPath);
  const examplesPackage = await readPackageVersion(params.webhookExamplesPath);

  const schemaNames = new Set<string>();
  const exampleNames = new Set<string>();
  const operations: JsonObject = {};
  for (const operationId of OPERATIONS) {
    const found = findOperation(spec, operationId);
    const responses: JsonObject = {};
    for (const [status, raw] of Object.entries(found.operation.responses as JsonObject)) {
      const response = resolveResponse(spec, raw as JsonObject);
      const content = (response.content as JsonObject | undefined)?.["application/json"] as
        | JsonObject
        | undefined;
      if (!content) {
        responses[status] = {};
        continue;
      }
      const schema = stripProse(content.schema as JsonObject) as JsonObject;
      collectRefs(schema, schemaNames);
      const exampleRef = firstExampleRef(content);
      if (exampleRef) exampleNames.add(exampleRef);
      responses[status] = exampleRef ? { schema, example: exampleRef } : { schema };
    }
    const docs = (found.operation.externalDocs as JsonObject | undefined)?.url ?? null;
    operations[operationId] = { method: found.method, path: found.path, docs, responses };
  }

  const webhooks: JsonObject = {};
  const webhookExampleByEvent: JsonObject = {};
  for (const name of WEBHOOKS) {
    const [event, action] = name.split(".") as [string, string];
    const key = `${event}-${action}`.replaceAll("_", "-");
    const webhook = spec["x-webhooks"][key];
    if (!webhook) throw new Error(`no webhook ${key} in the OpenAPI description`);
    const body = webhook.post.requestBody as JsonObject;
    const schema = ((body.content as JsonObject)["application/json"] as JsonObject)
      .schema as JsonObject;
    collectRefs(schema, schemaNames);
    webhooks[name] = { schema };
    webhookExampleByEvent[event] ??= pickWebhookExample(webhookExamples, event, action);
  }

  const schemas: JsonObject = {};
  const pending = [...schemaNames];
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (name in schemas) continue;
    const schema = spec.components.schemas[name];
    if (!schema) throw new Error(`no schema ${name}`);
    schemas[name] = stripProse(schema) as JsonObject;
    const nested = new Set<string>();
    collectRefs(schema, nested);
    pending.push(...[...nested].filter((next) => !(next in schemas)));
  }

  const examples: JsonObject = {};
  for (const name of [...exampleNames].sort()) {
    const example = spec.components.examples[name];
    if (!example) throw new Error(`no example ${name}`);
    examples[name] = example.value;
  }

  const output = {
    source: { openapi: specPackage, webhooksExamples: examplesPackage },
    operations,
    webhooks,
    webhookExamples: webhookExampleByEvent,
    examples,
    schemas: Object.fromEntries(Object.entries(schemas).sort(([a], [b]) => a.localeCompare(b))),
  };
  const text = `${JSON.stringify(output)}\n`;
  await writeFile(params.outFile, text);
  return { bytes: text.length };
}

/**
 * One real payload per event: the fake overlays its state and the action's own fields,
 * so only the shape matters. One that carries `installation` is preferred (that is what
 * an app receives), and one of the action asked for.
 */
function pickWebhookExample(
  groups: WebhookExampleGroup[],
  event: string,
  action: string,
): JsonObject {
  const examples = groups.find((group) => group.name === event)?.examples ?? [];
  const ranked = [...examples].sort(
    (a, b) =>
      Number(Boolean(b.installation)) - Number(Boolean(a.installation)) ||
      Number(b.action === action) - Number(a.action === action),
  );
  const example = ranked[0];
  if (!example) throw new Error(`no example payload for ${event}`);
  return example;
}

function findOperation(
  spec: OpenApiSpec,
  operationId: string,
): { method: string; path: string; operation: JsonObject } {
  for (const [apiPath, item] of Object.entries(spec.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (operation?.operationId === operationId) return { method, path: apiPath, operation };
    }
  }
  throw new Error(`no operation ${operationId} in the OpenAPI description`);
}

function resolveResponse(spec: OpenApiSpec, response: JsonObject): JsonObject {
  const ref = response.$ref;
  if (typeof ref !== "string") return response;
  const resolved = spec.components.responses[ref.split("/").pop() as string];
  if (!resolved) throw new Error(`no response ${ref}`);
  return resolved;
}

function firstExampleRef(content: JsonObject): string | undefined {
  const examples = content.examples as Record<string, JsonObject> | undefined;
  const first = examples ? Object.values(examples)[0] : undefined;
  const ref = first?.$ref;
  return typeof ref === "string" ? (ref.split("/").pop() as string) : undefined;
}

function collectRefs(value: Json, into: Set<string>): void {
  if (Array.isArray(value)) {
    for (const item of value) collectRefs(item, into);
  } else if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (key === "$ref" && typeof item === "string") {
        into.add(item.split("/").pop() as string);
      } else {
        collectRefs(item, into);
      }
    }
  }
}

const PROSE = new Set(["description", "example", "examples", "externalDocs"]);

/** Drops documentation keywords from a schema; `properties` keys are names, not keywords. */
function stripProse(schema: Json): Json {
  if (!schema || typeof schema !== "object" || Array.isArray(schema)) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (PROSE.has(key)) continue;
    if ((key === "properties" || key === "patternProperties") && value && !Array.isArray(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value as JsonObject).map(([name, sub]) => [name, stripProse(sub)]),
      );
    } else if (["allOf", "anyOf", "oneOf"].includes(key) && Array.isArray(value)) {
      out[key] = value.map(stripProse);
    } else if (
      ["items", "additionalProperties", "not"].includes(key) &&
      value &&
      typeof value === "object"
    ) {
      out[key] = stripProse(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** Both packages keep their data one folder below their package.json. */
async function readPackageVersion(file: string): Promise<string> {
  const dir = path.dirname(path.dirname(file));
  const pkg = JSON.parse(await readFile(path.join(dir, "package.json"), "utf8")) as {
    name: string;
    version: string;
  };
  return `${pkg.name}@${pkg.version}`;
}
