/**
 * Shapes of credentials Ship handles without knowing their value in advance: GitHub
 * tokens (user, installation, OAuth, refresh, fine-grained), JWTs (the app's own, id
 * tokens), bearer credentials and PEM private keys.
 */
const tokenPatterns: Array<[RegExp, string]> = [
  [/\bgh[pousr]_[A-Za-z0-9]{16,}/g, "[redacted]"],
  [/\bgithub_pat_[A-Za-z0-9_]{20,}/g, "[redacted]"],
  [/\beyJ[A-Za-z0-9_-]{10,}(?:\.[A-Za-z0-9_-]*){0,2}/g, "[redacted]"],
  [/\b(Bearer|Basic)(\s|%20)+[A-Za-z0-9._~+/=-]{8,}/gi, "$1 [redacted]"],
  // Up to its END line, or else to the end of the JSON string it sits in (never past it).
  [
    /-----BEGIN [A-Z ]*PRIVATE KEY-----(?:[^"\\]|\\.)*?(?:-----END [A-Z ]*PRIVATE KEY-----|(?="|$))/g,
    "[redacted]",
  ],
];

/**
 * Values shorter than this are not scrubbed by value: replacing "dev" everywhere would
 * garble every line while protecting nothing a guess would not find.
 */
const shortestScrubbedSecret = 8;

/**
 * A function that replaces, anywhere in `text`, each of `secrets` (as typed, and as it
 * appears escaped inside a JSON string) and every token-shaped credential with
 * `[redacted]`. The logger runs it over each finished line, so a secret is caught at any
 * depth of a logged object, in a message, or in an error's message or stack.
 */
export function createSecretScrubber(secrets: readonly string[]): (text: string) => string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.length < shortestScrubbedSecret) continue;
    forms.add(secret);
    forms.add(JSON.stringify(secret).slice(1, -1));
    // PEM keys are logged line by line as often as whole (a stack, a quoted file).
    for (const line of secret.split(/\r?\n/)) {
      if (line.length >= 32 && !line.startsWith("-----")) forms.add(line);
    }
  }
  // Longest first, so a secret containing another is replaced whole.
  const known = [...forms].sort((a, b) => b.length - a.length);
  const knownPattern =
    known.length > 0 ? new RegExp(known.map(escapeRegExp).join("|"), "g") : undefined;
  return (text) => {
    let scrubbed = knownPattern ? text.replace(knownPattern, "[redacted]") : text;
    for (const [pattern, replacement] of tokenPatterns) {
      scrubbed = scrubbed.replace(pattern, replacement);
    }
    return scrubbed;
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
