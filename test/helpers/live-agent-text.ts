/**
 * What in `text` GitHub would still act on after Ship defanged it: a mention, a closing
 * keyword with its issue, a URL, a markdown link, raw HTML. Empty when all are dead.
 * URLs and links to `githubHost` (e.g. `github.com`) may stay live and are not listed.
 * Zero-width joiners are what kills the rest, so they are not stripped here.
 */
export function liveAgentText(text: string, githubHost?: string): string[] {
  const onGitHub = (found: string) =>
    githubHost !== undefined &&
    new RegExp(`^(?:\\]\\()?https?://${githubHost.replaceAll(".", "\\.")}(?:/|$)`, "i").test(found);
  const patterns = [
    /(?<![A-Za-z0-9_])@[A-Za-z0-9][\w/-]*/g,
    /(?<![A-Za-z0-9])(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)[\s:*_~`[(-]*(?:#\d+|gh-\d+|[\w.-]+\/[\w.-]+#\d+|[a-z]+:\/\/\S+)/gi,
    /[a-z][a-z0-9+.-]*:\/\/[^\s`]*/gi,
    /(?<![A-Za-z0-9])www\.[^\s`]*/gi,
    /\]\([^\s)]*/g,
    /\]:/g,
    /<[A-Za-z!?/]/g,
    /&(?:#|[A-Za-z]+;)/g,
  ];
  return patterns
    .flatMap((pattern) => text.match(pattern) ?? [])
    .filter((found) => !onGitHub(found));
}
