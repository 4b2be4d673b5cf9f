/**
 * Characters a reader cannot see but a model reads: format characters (zero-width
 * spaces and joiners, bidirectional controls, Unicode "tag" characters, soft hyphen,
 * BOM) and every other default-ignorable code point (variation selectors, fillers).
 * Hidden instructions ride on these.
 */
const invisible = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/** HTML comments do not render on GitHub, so text inside them is invisible to people. */
const htmlComment = /<!--[\s\S]*?(-->|$)/g;

/** HTML image tags, each matched once (linear even on a body of unclosed `<img`s). */
const htmlImage = /<img\b[^>]*>?/gi;

/** `alt` and `title` attributes of an HTML image: not shown on the page either. */
const htmlImageText = /\s(?:alt|title)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)/gi;

/**
 * Removes what GitHub does not show a person (HTML comments, link reference definitions,
 * image alt text, invisible and bidirectional-control characters) so that Ship, and the
 * agent, act only on text the requester could see.
 */
export function stripHiddenText(text: string): string {
  const visible = text.replace(htmlComment, "").replace(invisible, "");
  return stripImageAlt(stripLinkReferences(visible)).replace(htmlImage, (tag) =>
    tag.replace(htmlImageText, ""),
  );
}

/**
 * `![alt](url)` -> `![](url)`: the alt text only shows when the image fails to load. One
 * pass, the innermost `![` before `](` (a regex would rescan a line of `![![![` each time).
 */
function stripImageAlt(text: string): string {
  let result = "";
  let copied = 0;
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "!" && text[i + 1] === "[") {
      open = i + 2;
      i++;
    } else if (c === "\n") {
      open = -1;
    } else if (c === "]") {
      if (open >= 0 && text[i + 1] === "(") {
        result += text.slice(copied, open);
        copied = i;
      }
      open = -1;
    }
  }
  return result + text.slice(copied);
}

/**
 * Link reference definitions (`[label]: url "title"`, and so the `[//]: # (comment)`
 * idiom) render as nothing: whole lines a reader never sees. As CommonMark reads them,
 * the destination may follow on the next line, and the title too, even spanning lines
 * (up to a blank line). One pass over the lines; each title's closing delimiter is
 * searched once for a stretch of text (remembered), so hostile input stays linear.
 */
function stripLinkReferences(text: string): string {
  const closes = new TitleCloses(text);
  let result = "";
  let copied = 0;
  let line = 0;
  while (line < text.length) {
    const end = definitionEnd(text, line, closes);
    if (end > line) {
      result += text.slice(copied, line);
      copied = end;
      line = end;
    } else {
      const next = text.indexOf("\n", line);
      line = next < 0 ? text.length : next + 1;
    }
  }
  return result + text.slice(copied);
}

const isBlank = (c: string | undefined) => c === " " || c === "\t";

/** Past the spaces and tabs from `i`. */
function skipBlanks(text: string, i: number): number {
  while (isBlank(text[i])) i++;
  return i;
}

/** Past the line ending at `i` (or `i` at the end of the text); -1 when the line goes on. */
function lineEndAfter(text: string, i: number): number {
  const at = skipBlanks(text, i);
  if (at >= text.length) return text.length;
  if (text[at] === "\n") return at + 1;
  if (text[at] === "\r") return text[at + 1] === "\n" ? at + 2 : at + 1;
  return -1;
}

/**
 * Where the link reference definition starting at line start `start` ends (past its
 * last line's ending), or -1 when none starts there.
 */
function definitionEnd(text: string, start: number, closes: TitleCloses): number {
  let i = start;
  for (let n = 0; n < 3 && text[i] === " "; n++) i++;
  if (text[i] !== "[") return -1;
  const label = i + 1;
  while (i + 1 < text.length && text[i + 1] !== "]" && text[i + 1] !== "\n") i++;
  const close = i + 1;
  if (text[close] !== "]" || close === label || text[close + 1] !== ":") return -1;
  // The destination: on this line, or the next.
  i = skipBlanks(text, close + 2);
  const afterColon = lineEndAfter(text, i);
  if (afterColon >= 0) i = skipBlanks(text, afterColon);
  const destination = i;
  if (text[i] === "<") {
    i++;
    while (i < text.length && text[i] !== ">" && text[i] !== "\n" && text[i] !== "<") {
      i = text[i] === "\\" ? i + 2 : i + 1;
    }
    if (text[i] !== ">") return -1;
    i++;
  } else {
    while (
      i < text.length &&
      text[i] !== " " &&
      text[i] !== "\t" &&
      !"\n\r".includes(text[i] as string)
    )
      i++;
    if (i === destination) return -1;
  }
  // Without a title, or with one on this line or the next.
  const withoutTitle = lineEndAfter(text, i);
  let title = skipBlanks(text, i);
  if (title === i && withoutTitle < 0) return -1;
  if (withoutTitle >= 0) {
    if (withoutTitle >= text.length) return withoutTitle;
    title = skipBlanks(text, withoutTitle);
  }
  const opener = text[title];
  if (opener === '"' || opener === "'" || opener === "(") {
    const closedAt = closes.find(opener === "(" ? ")" : opener, title + 1);
    if (closedAt >= 0) {
      const end = closes.lineEndAfter(closedAt + 1);
      if (end >= 0) return end;
    }
  }
  return withoutTitle;
}

/**
 * The closing delimiter of a title (`"`, `'`, `)`), searched from a position to the
 * first unescaped delimiter, a blank line (a title holds none), an unescaped `(` in a
 * `(` title, or the end. A search remembers where it stopped: a later one starting
 * inside that stretch stops at the same place, so no text is searched twice.
 */
class TitleCloses {
  private readonly stretches = new Map<string, { from: number; stop: number; found: boolean }>();
  private readonly tails = new Map<number, number>();

  constructor(private readonly text: string) {}

  /** Where the title closes, or -1 when it does not. */
  find(delimiter: string, from: number): number {
    const known = this.stretches.get(delimiter);
    if (known && known.from <= from && from <= known.stop) return known.found ? known.stop : -1;
    const { text } = this;
    let i = from;
    let found = false;
    while (i < text.length) {
      const c = text[i];
      if (c === "\\") {
        i += 2;
        continue;
      }
      if (c === delimiter) {
        found = true;
        break;
      }
      if (delimiter === ")" && c === "(") break;
      if (c === "\n") {
        const next = skipBlanks(text, i + 1);
        if (next >= text.length || text[next] === "\n" || text[next] === "\r") break;
      }
      i++;
    }
    const stop = Math.min(i, text.length);
    this.stretches.set(delimiter, { from, stop, found });
    return found ? stop : -1;
  }

  /** `lineEndAfter` from just past a closing delimiter, remembered (many titles may close there). */
  lineEndAfter(i: number): number {
    let end = this.tails.get(i);
    if (end === undefined) {
      end = lineEndAfter(this.text, i);
      this.tails.set(i, end);
    }
    return end;
  }
}
