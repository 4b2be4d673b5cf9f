import type { QueryResult, QueryResultRow } from "pg";

/**
 * The database port every SQL operation takes: a pool, a pooled client inside a
 * transaction, or anything else with pg's `query`.
 */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<QueryResult<R>>;
}
