import { buildSchema, type GraphQLFormattedError, graphql } from "graphql";
import { createGraphqlRoot } from "../graphql/create-graphql-root.js";
import { graphqlSubsetSdl } from "../graphql/graphql-subset-sdl.js";
import type { ApiRouter } from "../http/api-router.js";
import { HttpError } from "../http/http-error.js";
import type { Sim } from "../sim.js";

const DOCS = "https://docs.github.com/graphql";

/**
 * `POST /api/graphql`: executes documents against the subset of GitHub's schema the
 * fake knows (built once per server, in milliseconds), with GitHub's error shape: HTTP
 * 200, and each error's `type` (NOT_FOUND, FORBIDDEN) beside its message.
 */
export function handleGraphql(router: ApiRouter, sim: Sim): void {
  const schema = buildSchema(graphqlSubsetSdl);
  router.route(
    "POST",
    "/api/graphql",
    async ({ actor, body }) => {
      if (actor.type === "anonymous") {
        throw new HttpError(401, "This endpoint requires you to be authenticated.", {
          documentationUrl: `${DOCS}/guides/forming-calls-with-graphql#authenticating-with-graphql`,
        });
      }
      if (typeof body.query !== "string") {
        return {
          status: 200,
          body: {
            errors: [{ message: "A query attribute must be specified and must be a string." }],
          },
        };
      }
      const result = await graphql({
        schema,
        source: body.query,
        rootValue: createGraphqlRoot(sim, actor),
        variableValues: (body.variables as Record<string, unknown> | undefined) ?? undefined,
        operationName: typeof body.operationName === "string" ? body.operationName : undefined,
      });
      const errors = result.errors?.map((error): GraphQLFormattedError & { type?: unknown } => {
        const formatted = error.toJSON();
        const type = error.extensions?.type;
        return type === undefined ? formatted : { type, ...formatted };
      });
      return {
        status: 200,
        body: {
          ...(result.data !== undefined ? { data: result.data } : {}),
          ...(errors ? { errors } : {}),
        },
      };
    },
    { rateLimited: "graphql", docs: DOCS },
  );
}
