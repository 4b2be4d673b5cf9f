import { readFile } from "node:fs/promises";

type JsonObject = Record<string, unknown>;

/** The committed extract of GitHub's OpenAPI description (see scripts/extract-openapi.ts). */
export interface OpenApiExtract {
  source: { openapi: string; webhooksExamples: string };
  operations: Record<
    string,
    {
      method: string;
      path: string;
      docs: string | null;
      responses: Record<string, { schema?: JsonObject; example?: string }>;
    }
  >;
  webhooks: Record<string, { schema: JsonObject }>;
  webhookExamples: Record<string, JsonObject>;
  examples: Record<string, unknown>;
  schemas: Record<string, JsonObject>;
}

/**
 * GitHub's own examples, with github.com addresses moved to the fake's, handed out as
 * fresh copies for the renderers to overlay with state. Loaded once per server.
 */
export class ResponseTemplates {
  private constructor(readonly extract: OpenApiExtract) {}

  static async load(urls: { web: string; api: string; host: string }): Promise<ResponseTemplates> {
    const text = await readFile(
      new URL("../openapi-examples/api.github.com.json", import.meta.url),
      "utf8",
    );
    // Rewriting the text once is cheaper than walking every object on every response.
    const rewritten = text
      .replaceAll("https://api.github.com", urls.api)
      .replaceAll("https://uploads.github.com", `${urls.web}/api/uploads`)
      .replaceAll("https://svn.github.com", urls.web)
      .replaceAll("https://github.com", urls.web)
      .replaceAll("git:github.com/", `git://${urls.host}/`)
      .replaceAll("git@github.com:", `git@${urls.host}:`);
    return new ResponseTemplates(JSON.parse(rewritten) as OpenApiExtract);
  }

  /** A copy of a named example from GitHub's OpenAPI description. */
  example(name: string): JsonObject {
    const example = this.extract.examples[name];
    if (!example) throw new Error(`no OpenAPI example ${name}`);
    const value = Array.isArray(example) ? example[0] : example;
    return structuredClone(value) as JsonObject;
  }

  /** A copy of a real webhook payload of this event (any action). */
  webhookExample(event: string): JsonObject {
    const example = this.extract.webhookExamples[event];
    if (!example) throw new Error(`no webhook example for ${event}`);
    return structuredClone(example);
  }

  /** The operation's method, path and documentation link. */
  operation(operationId: string): { method: string; path: string; docs: string | null } {
    const operation = this.extract.operations[operationId];
    if (!operation) throw new Error(`operation ${operationId} is not in the extract`);
    return operation;
  }

  /** simple-user, as embedded everywhere. */
  user(): JsonObject {
    return this.example("issue-comment").user as JsonObject;
  }
}
