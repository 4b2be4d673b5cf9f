import { codeSpan } from "./code-span.js";

/** Zero-width joiner: invisible, and it splits a token GitHub would otherwise act on. */
const zwj = "\u200D";
const cutMark = "… (cut)";

/** Closing keywords, then what GitHub closes with them: `#3`, `GH-3`, `o/r#3`, an issue URL. */
const keyword =
  "(?<![A-Za-z0-9])(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)(?=[\\s:*_~`\\[(-]{0,20}(?:#\\d|gh-\\d|[\\w.-]{1,100}\\/[\\w.-]{1,100}#\\d|[a-z][a-z0-9+.-]{0,31}:\\/\\/|www\\.))";
/** Any `scheme://…` (the scheme capped, so a long word costs linear time) or `www.…`. */
const url = "(?:[a-z][a-z0-9+.-]{0,31}:\\/\\/|(?<![A-Za-z0-9])www\\.)[^\\s<>\"'`()]*";
/** An `@` where GitHub reads a mention: not after a letter, digit or `_` (an email). */
const mention = "(?<![A-Za-z0-9_])@(?=[A-Za-z0-9])";
/** An inline link or image, `[text](destination)`, without nested brackets. */
const link = "!?\\[[^\\[\\]\\n]{0,1000}\\]\\([^()\\n]{0,2000}\\)";
/** The start of an HTML tag or comment, an autolink `<https://…>` or `<a@b.c>`. */
const tag = "<(?=[A-Za-z!?/])";
/** An HTML character reference: `&#104;ttps://` would decode to a link. */
const entity = "&(?=#|[A-Za-z][A-Za-z0-9]{0,31};)";
/** What is left of a link: `](` of a nested one, `]:` of a reference definition. */
const bracket = "\\](?=[(:])";

const markdownTokens = new RegExp(
  `(?<link>${link})|(?<url>${url})|(?<keyword>${keyword})|(?<mention>${mention})|(?<tag>${tag})|(?<entity>${entity})|(?<bracket>${bracket})`,
  "gi",
);
/** The same without links: for the inside of a link being shown as code. */
const breakTokens = new RegExp(
  `(?<url>${url})|(?<keyword>${keyword})|(?<mention>${mention})|(?<tag>${tag})|(?<entity>${entity})|(?<bracket>${bracket})`,
  "gi",
);
const plainTokens = new RegExp(
  `(?<url>${url})|(?<keyword>${keyword})|(?<mention>${mention})`,
  "gi",
);
const trailingPunctuation = /[.,:;!?*_~]+$/;

/**
 * Text Ship did not write (the agent's summary, todos and commit messages, sandbox
 * output in errors, a repository's file) made safe to post on GitHub under Ship's or a
 * person's name, whatever a prompt-injected agent put in it:
 *
 * - no mentions: `@alice` and `@org/team` get a zero-width joiner after the `@`, so
 *   nobody is notified;
 * - no closing keywords: `Fixes #3`, `closes: o/r#3`, `RESOLVED https://…/issues/3` get
 *   one after the keyword's first letter, so merging closes nothing;
 * - no live links off GitHub: a URL (`scheme://…`, `www.…`) becomes inline code with a
 *   joiner after its scheme, so it stays dead even if the span were misread; a markdown
 *   link or image whose destination is not on `githubUrl`'s host becomes inline code as a
 *   whole; raw HTML (`<a href>`, `<img>`, autolinks), character references and reference
 *   definitions are broken the same way. Links to the GitHub host may stay live when
 *   `githubUrl` is given; without it every URL is shown as code;
 * - at most `maxLength` characters, the cut said with "… (cut)".
 *
 * `plain` is for commit messages, which GitHub shows as text (no HTML, no markdown
 * links) and whose `Co-authored-by: name <email>` trailers must survive: there only
 * mentions, keywords and URLs are changed. `oneLine` folds newlines (a todo, a list item).
 * Defanging defanged text changes nothing (unless it was cut), so a commit message Ship
 * defanged in the sandbox keeps its id when Ship defangs it again on the way to GitHub.
 */
export function defangAgentText(
  text: string,
  options: { maxLength: number; githubUrl?: string; plain?: boolean; oneLine?: boolean },
): string {
  const { maxLength } = options;
  const host = options.githubUrl ? hostOf(options.githubUrl) : undefined;
  // Defanging only adds characters, so anything past twice the cap would be cut anyway.
  let input = text.length > 2 * maxLength ? text.slice(0, 2 * maxLength) : text;
  if (options.oneLine) input = input.replace(/\s+/g, " ").trim();
  const out = defang(input, host, options.plain ? plainTokens : markdownTokens, true);
  return out.length > maxLength ? cut(out, maxLength) : out;
}

/**
 * One pass over `text`: every token is replaced once and its replacement is not read
 * again. With `wrap`, dead URLs and links are also put in code spans; without it (inside
 * a span being built) they are only broken.
 */
function defang(text: string, host: string | undefined, tokens: RegExp, wrap: boolean): string {
  return text.replace(tokens, (match: string, ...rest: unknown[]) => {
    const groups = rest.at(-1) as Record<string, string | undefined>;
    if (groups.link !== undefined) {
      const open = match.indexOf("](");
      const destination = match.slice(open + 2, -1).trim();
      if (isGitHubLink(destination, host)) {
        return `${defang(match.slice(0, open + 1), host, breakTokens, false)}(${destination})`;
      }
      return codeSpan(defang(match, host, breakTokens, false), 2000);
    }
    if (groups.url !== undefined) {
      const trailing = trailingPunctuation.exec(match)?.[0] ?? "";
      const found = match.slice(0, match.length - trailing.length);
      if (wrap && isGitHubLink(found, host)) return match;
      const dead = found
        .replace(/^([a-z][a-z0-9+.-]*:)\/\//i, `$1${zwj}//`)
        .replace(/^www\./i, `www${zwj}.`);
      return `${wrap ? codeSpan(dead, 2000) : dead}${trailing}`;
    }
    if (groups.keyword !== undefined) return `${match.slice(0, 1)}${zwj}${match.slice(1)}`;
    return `${match}${zwj}`; // a mention's `@`, a tag's `<`, an entity's `&`, a link's `]`
  });
}

/** Only a plain `http(s)://` URL on GitHub's own host: no escapes, entities or spaces. */
function isGitHubLink(destination: string, host: string | undefined): boolean {
  if (host === undefined || !/^https?:\/\/[^\s\\&<>"'`@]+$/i.test(destination)) return false;
  return hostOf(destination) === host;
}

function hostOf(address: string): string | undefined {
  try {
    return new URL(address).host.toLowerCase();
  } catch {
    return undefined;
  }
}

/** At most `length` characters ending in "… (cut)", never half a surrogate pair. */
function cut(text: string, length: number): string {
  let end = length - cutMark.length;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}${cutMark}`;
}
