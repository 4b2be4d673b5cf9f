import { z } from "zod";
import { apiErrorBody } from "./api-error-body.js";
import { contentText } from "./content-text.js";
import { responsesBody } from "./responses-body.js";
import { responsesEvents } from "./responses-events.js";
import { type ResponsesRequest, responsesRequestSchema } from "./responses-request-schema.js";
import type { WireFormat } from "./wire-format.js";

/** Request parameters a response object repeats, as OpenAI's do. */
const echoed = [
  "instructions",
  "max_output_tokens",
  "metadata",
  "parallel_tool_calls",
  "previous_response_id",
  "reasoning",
  "store",
  "temperature",
  "text",
  "tool_choice",
  "tools",
  "top_p",
  "truncation",
] as const;

/**
 * The OpenAI Responses API (`POST /v1/responses`), what OpenCode's `openai` provider
 * (`@ai-sdk/openai`) calls. Streams are typed events (`event:` names, a
 * `sequence_number` each) that end with `response.completed`, no `[DONE]`; usage
 * arrives in `response.completed`'s `response.usage`. Errors use OpenAI's envelope.
 */
export const responsesFormat: WireFormat = {
  protocol: "responses",
  idPrefix: "resp_sim_",
  read(body) {
    const parsed = responsesRequestSchema.safeParse(body);
    if (!parsed.success) {
      return { invalid: `Invalid Responses API request: ${z.prettifyError(parsed.error)}` };
    }
    const request = parsed.data;
    if (request.previous_response_id) {
      return {
        invalid: `previous_response_id: the model sim stores no responses (send the conversation in input, with store: false)`,
      };
    }
    const items = typeof request.input === "string" ? [] : request.input;
    const system = items
      .filter((item) => item.role === "system" || item.role === "developer")
      .map((item) => contentText(item.content));
    return {
      model: request.model,
      stream: request.stream === true,
      includeUsage: true,
      system: request.instructions ? [request.instructions, ...system] : system,
      turn: answersIn(items),
      echo: Object.fromEntries(
        echoed.flatMap((key) => (key in request ? [[key, request[key]]] : [])),
      ),
    };
  },
  body: (completion, header, request) => responsesBody(completion, header, request.echo),
  events: (completion, header, request) => responsesEvents(completion, header, request.echo),
  isTextDelta: (event) => event.event === "response.output_text.delta",
  error: apiErrorBody,
};

/**
 * One answer of the model is a run of consecutive output items (an assistant message,
 * its `function_call`s, reasoning) in `input`; the tool outputs or the user's message
 * that follow end it. So the count matches the assistant messages of chat completions.
 */
function answersIn(items: Exclude<ResponsesRequest["input"], string>): number {
  let answers = 0;
  let inAnswer = false;
  for (const item of items) {
    const output =
      item.role === "assistant" ||
      item.type === "function_call" ||
      item.type === "reasoning" ||
      item.type === "item_reference";
    if (output && !inAnswer) answers += 1;
    inAnswer = output;
  }
  return answers;
}
