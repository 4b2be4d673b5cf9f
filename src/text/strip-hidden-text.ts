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
 * Removes what GitHub does not show a person (HTML comments, invisible and
 * bidirectional-control characters) so that Ship, and the agent, act only on text the
 * requester could see.
 */
export function stripHiddenText(text: string): string {
  return text.replace(htmlComment, "").replace(invisible, "");
}
