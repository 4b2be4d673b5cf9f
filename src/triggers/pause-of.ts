import type { RepoConfig } from "../config/repo-config-schema.js";
import type { Reply } from "../report/render-reply.js";

/**
 * The kill switch, as a reply to a request that would start a run, or undefined when
 * runs may start: the operator's SHIP_PAUSED first (it stops every repository), then the
 * repository's `paused:` (`true`, or the reason as text).
 */
export function pauseOf(
  operator: string | undefined,
  config: Pick<RepoConfig, "paused"> | undefined,
): Extract<Reply, { kind: "paused" }> | undefined {
  if (operator !== undefined) return { kind: "paused", by: "operator", reason: operator };
  const paused = config?.paused;
  if (paused === undefined || paused === false) return undefined;
  return {
    kind: "paused",
    by: "repository",
    ...(typeof paused === "string" ? { reason: paused } : {}),
  };
}
