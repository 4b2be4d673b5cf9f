import { escapeHtml } from "./escape-html.js";

/** A code span as Markdown has it: a run of backticks, text, and a run of the same length. */
const codeSpan = /(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)/g;

/** Escaped text whose Markdown code spans (`like this`) become `<code>`; nothing else is markup. */
export function renderInlineCode(text: string): string {
  return text
    .split(codeSpan)
    .map((piece, index) => {
      // split() with two groups yields [text, fence, code, text, fence, code, ...].
      if (index % 3 === 1) return "";
      if (index % 3 === 0) return escapeHtml(piece);
      const padded = piece.length > 2 && piece.startsWith(" ") && piece.endsWith(" ");
      return `<code>${escapeHtml(padded ? piece.slice(1, -1) : piece)}</code>`;
    })
    .join("");
}
