import { z } from "zod";

// Written from Anthropic's API reference, "Messages" (the message object, content
// blocks, usage) and the "Streaming Messages" guide (event types and their flow:
// message_start, per block content_block_start / content_block_delta* /
// content_block_stop, message_delta, message_stop; ping anywhere; error), and
// "Errors" (`{ type: "error", error: { type, message } }` and the error types).

const int = z.number().int().min(0);

const usage = z.looseObject({
  input_tokens: int,
  output_tokens: int,
  cache_creation_input_tokens: int.nullable(),
  cache_read_input_tokens: int.nullable(),
});

const textBlock = z.strictObject({ type: z.literal("text"), text: z.string() });
const toolUseBlock = z.strictObject({
  type: z.literal("tool_use"),
  id: z.string().regex(/^[a-zA-Z0-9_-]+$/),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
});
const block = z.discriminatedUnion("type", [textBlock, toolUseBlock]);
const stopReason = z.enum([
  "end_turn",
  "max_tokens",
  "stop_sequence",
  "tool_use",
  "pause_turn",
  "refusal",
]);

const message = z.strictObject({
  id: z.string().min(1),
  type: z.literal("message"),
  role: z.literal("assistant"),
  model: z.string(),
  content: z.array(block),
  stop_reason: stopReason.nullable(),
  stop_sequence: z.string().nullable(),
  usage,
});

const errorTypes = z.enum([
  "invalid_request_error",
  "authentication_error",
  "billing_error",
  "permission_error",
  "not_found_error",
  "request_too_large",
  "rate_limit_error",
  "api_error",
  "timeout_error",
  "overloaded_error",
]);
const error = z.looseObject({
  type: z.literal("error"),
  error: z.strictObject({ type: errorTypes, message: z.string().min(1) }),
});

const event = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("message_start"),
    message: message.extend({
      content: z.array(block).max(0),
      stop_reason: z.null(),
      stop_sequence: z.null(),
    }),
  }),
  z.strictObject({
    type: z.literal("content_block_start"),
    index: int,
    content_block: z.discriminatedUnion("type", [
      textBlock.extend({ text: z.literal("") }),
      toolUseBlock.extend({ input: z.strictObject({}) }),
    ]),
  }),
  z.strictObject({
    type: z.literal("content_block_delta"),
    index: int,
    delta: z.discriminatedUnion("type", [
      z.strictObject({ type: z.literal("text_delta"), text: z.string() }),
      z.strictObject({ type: z.literal("input_json_delta"), partial_json: z.string() }),
    ]),
  }),
  z.strictObject({ type: z.literal("content_block_stop"), index: int }),
  z.strictObject({
    type: z.literal("message_delta"),
    delta: z.strictObject({ stop_reason: stopReason, stop_sequence: z.string().nullable() }),
    usage: z.looseObject({ output_tokens: int }),
  }),
  z.strictObject({ type: z.literal("message_stop") }),
  z.strictObject({ type: z.literal("ping") }),
  error,
]);

/** Anthropic Messages, as documented. */
export const anthropicMessagesSchemas = { event, message, error, usage };

/** A streamed event, parsed. */
export type MessagesEvent = z.output<typeof event>;
