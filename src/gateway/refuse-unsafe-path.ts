import type { ModelCallRefusal } from "./model-call-refusal.js";

/**
 * Refuses a raw request path (before any decoding or resolution) that a URL parser
 * could turn into another path than the one it spells: dot segments (`.`, `..`),
 * empty segments (`//`), backslashes and any percent-encoding at all (`%2e%2e`, `%2f`,
 * `%252e`). No model endpoint needs any of them, so refusing them all needs no
 * decoding to get right.
 */
export function refuseUnsafePath(path: string): ModelCallRefusal | undefined {
  const segments = path.split("/").slice(1);
  const unsafe =
    path.includes("%") ||
    path.includes("\\") ||
    segments.some((segment) => segment === "" || segment === "." || segment === "..");
  if (!unsafe) return undefined;
  return {
    status: 400,
    type: "invalid_request_error",
    message:
      "Ship's gateway refuses paths with dot segments (. or ..), empty segments (//), backslashes or percent-encoding.",
  };
}
