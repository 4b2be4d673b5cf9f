import { escapeHtml } from "./escape-html.js";

/** Escaped text whose Markdown code spans (`like this`) become `<code>`; nothing else is markup. */
export function renderInlineCode(text: string): string {
  return escapeHtml(text).replace(
    /(`+)( ?)(.+?)\2\1(?!`)/g,
    (_match, _fence, _pad, code: string) => `<code>${code}</code>`,
  );
}
