/**
 * Characters a reader cannot see but a model reads: format characters (zero-width
 * spaces and joiners, bidirectional controls, Unicode "tag" characters, soft hyphen,
 * BOM) and every other default-ignorable code point (variation selectors, fillers).
 * Hidden instructions ride on these.
 */
const invisible = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/** HTML comments do not render on GitHub, so text inside them is invisible to people. */
const htmlComment = /<!--[\s\S]*?(-->|$)/g;

/**
 * Link reference definitions (`[label]: url "title"`, and so the `[//]: # (comment)`
 * idiom) render as nothing: a whole line a reader never sees.
 */
const linkReference =
  /^ {0,3}\[[^\]\n]+\]:[ \t]*(?:<[^>\n]*>|\S+)(?:[ \t]+(?:"[^"\n]*"|'[^'\n]*'|\([^)\n]*\)))?[ \t]*$\n?/gm;

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
  const visible = text.replace(htmlComment, "").replace(invisible, "").replace(linkReference, "");
  return stripImageAlt(visible).replace(htmlImage, (tag) => tag.replace(htmlImageText, ""));
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
