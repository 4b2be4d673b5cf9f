/**
 * The text of a message's content in any of the three formats: a string, or an array
 * of parts of which the text-bearing ones (`text`, `input_text`, `output_text`) count.
 */
export function contentText(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) =>
      part && typeof part === "object" && typeof (part as { text?: unknown }).text === "string"
        ? (part as { text: string }).text
        : "",
    )
    .join("");
}
