import { z } from "zod";

// Written from OpenAI's API reference, "Responses": the response object, its output
// items (output message, function tool call), and "Streaming events" (every event has
// `type` and `sequence_number`; item events `output_index`, part and text events
// `item_id` and `content_index`).

const int = z.number().int().min(0);

const usage = z.strictObject({
  input_tokens: int,
  input_tokens_details: z.strictObject({ cached_tokens: int }),
  output_tokens: int,
  output_tokens_details: z.strictObject({ reasoning_tokens: int }),
  total_tokens: int,
});

const outputText = z.strictObject({
  type: z.literal("output_text"),
  text: z.string(),
  annotations: z.array(z.unknown()),
  logprobs: z.array(z.unknown()).optional(),
});

const itemStatus = z.enum(["in_progress", "completed", "incomplete"]);

const message = z.strictObject({
  id: z.string().min(1),
  type: z.literal("message"),
  role: z.literal("assistant"),
  status: itemStatus,
  content: z.array(outputText),
});

const functionCall = z.strictObject({
  id: z.string().min(1),
  type: z.literal("function_call"),
  call_id: z.string().min(1),
  name: z.string().min(1),
  arguments: z.string(),
  status: itemStatus,
});

const outputItem = z.discriminatedUnion("type", [message, functionCall]);

const response = z.looseObject({
  id: z.string().min(1),
  object: z.literal("response"),
  created_at: z.number(),
  status: z.enum(["completed", "failed", "in_progress", "cancelled", "queued", "incomplete"]),
  error: z.strictObject({ code: z.string(), message: z.string() }).nullable(),
  incomplete_details: z.strictObject({ reason: z.string() }).nullable(),
  instructions: z.unknown().nullable(),
  model: z.string(),
  output: z.array(outputItem),
  parallel_tool_calls: z.boolean(),
  temperature: z.number().nullable(),
  top_p: z.number().nullable(),
  tool_choice: z.unknown(),
  tools: z.array(z.unknown()),
  metadata: z.record(z.string(), z.string()).nullable(),
  usage: usage.nullable(),
});

const base = { sequence_number: int };
const atItem = { ...base, item_id: z.string().min(1), output_index: int };
const atPart = { ...atItem, content_index: int };

const event = z.discriminatedUnion("type", [
  z.strictObject({ type: z.literal("response.created"), ...base, response }),
  z.strictObject({ type: z.literal("response.in_progress"), ...base, response }),
  z.strictObject({ type: z.literal("response.completed"), ...base, response }),
  z.strictObject({ type: z.literal("response.incomplete"), ...base, response }),
  z.strictObject({ type: z.literal("response.failed"), ...base, response }),
  z.strictObject({
    type: z.literal("response.output_item.added"),
    ...base,
    output_index: int,
    item: outputItem,
  }),
  z.strictObject({
    type: z.literal("response.output_item.done"),
    ...base,
    output_index: int,
    item: outputItem,
  }),
  z.strictObject({ type: z.literal("response.content_part.added"), ...atPart, part: outputText }),
  z.strictObject({ type: z.literal("response.content_part.done"), ...atPart, part: outputText }),
  z.strictObject({
    type: z.literal("response.output_text.delta"),
    ...atPart,
    delta: z.string(),
    logprobs: z.array(z.unknown()),
  }),
  z.strictObject({
    type: z.literal("response.output_text.done"),
    ...atPart,
    text: z.string(),
    logprobs: z.array(z.unknown()),
  }),
  z.strictObject({
    type: z.literal("response.function_call_arguments.delta"),
    ...atItem,
    delta: z.string(),
  }),
  z.strictObject({
    type: z.literal("response.function_call_arguments.done"),
    ...atItem,
    arguments: z.string(),
    name: z.string().optional(),
  }),
]);

/** The OpenAI Responses API, as documented. */
export const openaiResponsesSchemas = { event, response, outputItem, usage };

/** A streamed event, parsed. */
export type ResponsesEvent = z.output<typeof event>;
