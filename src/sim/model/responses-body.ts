import type { AnswerHeader } from "./answer-header.js";
import { responseObject } from "./response-object.js";
import { responseOutputItems } from "./response-output-items.js";
import { responsesUsage } from "./responses-usage.js";
import type { Completion } from "./to-completion.js";

/** The completed `response` object of a non-streamed Responses API answer. */
export function responsesBody(
  completion: Completion,
  header: AnswerHeader,
  echo: Record<string, unknown>,
): object {
  return responseObject(header, echo, {
    status: "completed",
    output: responseOutputItems(completion, header),
    usage: responsesUsage(completion.usage),
  });
}
