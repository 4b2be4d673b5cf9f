/**
 * Where `actual` lacks the shape of `expected`: every key of an expected object must be
 * in the actual one with the same JSON type, recursively; arrays compare their first
 * items. Values never matter, and `null` on either side matches any type (a recording
 * shows one value of a nullable field). Keys only `actual` has are allowed: GitHub
 * added fields after the recording, and the OpenAPI schemas judge those.
 */
export function shapeDifferences(expected: unknown, actual: unknown, at = "$"): string[] {
  if (expected === null || actual === null) return [];
  const expectedType = typeOf(expected);
  const actualType = typeOf(actual);
  if (expectedType !== actualType) return [`${at}: ${actualType}, recorded ${expectedType}`];
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length === 0) return [];
    if (actual.length === 0) {
      // An empty list of values (topics) is data; an empty list of objects hides their shape.
      const objects = expected.some((item) => item !== null && typeof item === "object");
      return objects ? [`${at}: empty, recorded ${expected.length} items`] : [];
    }
    return shapeDifferences(expected[0], actual[0], `${at}[0]`);
  }
  if (expectedType !== "object") return [];
  const expectedObject = expected as Record<string, unknown>;
  const actualObject = actual as Record<string, unknown>;
  return Object.keys(expectedObject).flatMap((key) =>
    key in actualObject
      ? shapeDifferences(expectedObject[key], actualObject[key], `${at}.${key}`)
      : [`${at}.${key}: missing`],
  );
}

function typeOf(value: unknown): string {
  if (Array.isArray(value)) return "array";
  // GitHub's integers and floats are both JSON numbers.
  return typeof value;
}
