import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
import type { OpenApiExtract } from "../../../src/sim/github/render/response-templates.js";

// ajv-formats is CommonJS: its default export arrives wrapped under ESM.
const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ??
  addFormatsModule) as (ajv: Ajv) => Ajv;

type Json = Record<string, unknown>;

/** Checks bodies against GitHub's own response and webhook schemas (OpenAPI 3.0). */
export interface OpenApiValidator {
  /** The operation whose method and path template (`/repos/{owner}/{repo}`) match. */
  operationFor(method: string, pathTemplate: string): string | undefined;
  /** The operation serving a concrete path (`/repos/alice/demo/issues/1`), query ignored. */
  operationForPath(method: string, path: string): string | undefined;
  /** Validation errors of a response body for that operation and status; [] when valid. */
  validateResponse(operationId: string, status: number, body: unknown): string[];
  /** Validation errors of a webhook payload (`issue_comment.created`); [] when valid. */
  validateWebhook(name: string, payload: unknown): string[];
}

/**
 * Compiles the extract's schemas with ajv. OpenAPI 3.0's `nullable` becomes JSON
 * Schema's `null` type, and `#/components/schemas/x` references point into one shared
 * document, so each schema compiles once and is reused.
 */
export function createOpenApiValidator(extract: OpenApiExtract): OpenApiValidator {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addFormat("int64", true);
  ajv.addSchema({
    $id: "openapi",
    components: {
      schemas: Object.fromEntries(
        Object.entries(extract.schemas).map(([name, schema]) => [name, convert(schema)]),
      ),
    },
  });
  const compiled = new Map<string, ValidateFunction>();
  const compile = (key: string, schema: Json) => {
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(convert(schema) as Json);
      compiled.set(key, validate);
    }
    return validate;
  };
  const errorsOf = (validate: ValidateFunction, body: unknown) =>
    validate(body)
      ? []
      : (validate.errors ?? []).map(
          (error) =>
            `${error.instancePath || "/"} ${error.message} ${JSON.stringify(error.params)}`,
        );

  return {
    operationFor(method, pathTemplate) {
      const wanted = pathTemplate.replace(/^\/api\/v3/, "").split("?")[0];
      return Object.entries(extract.operations).find(
        ([, operation]) =>
          operation.method.toUpperCase() === method.toUpperCase() && operation.path === wanted,
      )?.[0];
    },
    operationForPath(method, concretePath) {
      const wanted = concretePath.replace(/^\/api\/v3/, "").split("?")[0] ?? "";
      // The most literal template wins: `/issues/comments/{id}` over `/issues/{number}`.
      return Object.entries(extract.operations)
        .filter(
          ([, operation]) =>
            operation.method.toUpperCase() === method.toUpperCase() &&
            templatePattern(operation.path).test(wanted),
        )
        .sort(([, a], [, b]) => a.path.split("{").length - b.path.split("{").length)[0]?.[0];
    },
    validateResponse(operationId, status, body) {
      const operation = extract.operations[operationId];
      if (!operation) return [`unknown operation ${operationId}`];
      const response = operation.responses[String(status)] ?? operation.responses.default;
      if (!response) return [`GitHub documents no ${status} for ${operationId}`];
      if (!response.schema) {
        return body === undefined || body === "" ? [] : [`${status} should have no body`];
      }
      return errorsOf(compile(`${operationId} ${status}`, response.schema), body);
    },
    validateWebhook(name, payload) {
      const webhook = extract.webhooks[name];
      if (!webhook) return [`no schema for webhook ${name}`];
      return errorsOf(compile(`webhook ${name}`, webhook.schema), payload);
    },
  };
}

/**
 * OpenAPI 3.0 -> JSON Schema: `nullable`, and references into the shared document.
 * One known error in GitHub's description is corrected: an installation `account` is
 * written as `allOf: [simple-user, enterprise]` (which no account can satisfy) in
 * `apps/list-installations`, where the `installation` component says `anyOf`.
 */
function convert(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(convert);
  if (!schema || typeof schema !== "object") return schema;
  const out: Json = {};
  const entries = Object.entries(schema as Json);
  const allOf = (schema as Json).allOf;
  const userOrEnterprise =
    Array.isArray(allOf) &&
    allOf.map((member) => (member as Json).title).join("|") === "Simple User|Enterprise";
  for (const [key, value] of entries) {
    if (key === "allOf" && userOrEnterprise) {
      out.anyOf = convert(value);
      continue;
    }
    if (key === "$ref" && typeof value === "string") {
      out.$ref = value.replace(/^#\/components\/schemas\//, "openapi#/components/schemas/");
    } else if (key === "properties" && value && typeof value === "object") {
      out.properties = Object.fromEntries(
        Object.entries(value as Json).map(([name, sub]) => [name, convert(sub)]),
      );
    } else if (key !== "nullable") {
      out[key] = convert(value);
    }
  }
  if ((schema as Json).nullable !== true) return out;
  if (typeof out.type === "string") {
    const nullable: Json = { ...out, type: [out.type, "null"] };
    if (Array.isArray(out.enum)) nullable.enum = [...out.enum, null];
    return nullable;
  }
  return { anyOf: [out, { type: "null" }] };
}

/** A path template as a pattern: `{path}`, `{ref}`, `{branch}`, `{base}`, `{head}` span slashes. */
function templatePattern(template: string): RegExp {
  const source = template
    .split(/(\{[a-z_]+\})/)
    .map((part) => {
      if (!/^\{[a-z_]+\}$/.test(part)) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      return ["{path}", "{ref}", "{branch}", "{base}", "{head}"].includes(part) ? ".+" : "[^/]+";
    })
    .join("");
  return new RegExp(`^${source}/?$`);
}
