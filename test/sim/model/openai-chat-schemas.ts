import { z } from "zod";

// Written from OpenAI's API reference, "Chat Completions": the chat completion object,
// the chat completion chunk object, and `stream_options.include_usage` ("an additional
// chunk will be streamed before the data: [DONE] message. The usage field on this
// chunk shows the token usage statistics for the entire request, and the choices
// field will always be an empty array. All other chunks will also include a usage
// field, but with a null value").

const usage = z.strictObject({
  prompt_tokens: z.number().int().min(0),
  completion_tokens: z.number().int().min(0),
  total_tokens: z.number().int().min(0),
  prompt_tokens_details: z
    .looseObject({ cached_tokens: z.number().int().min(0).optional() })
    .optional(),
  completion_tokens_details: z
    .looseObject({ reasoning_tokens: z.number().int().min(0).optional() })
    .optional(),
});

const finishReason = z.enum(["stop", "length", "tool_calls", "content_filter", "function_call"]);

const chunk = z.strictObject({
  id: z.string().min(1),
  object: z.literal("chat.completion.chunk"),
  created: z.number().int(),
  model: z.string(),
  system_fingerprint: z.string().nullable().optional(),
  service_tier: z.string().nullable().optional(),
  choices: z.array(
    z.strictObject({
      index: z.number().int().min(0),
      delta: z.strictObject({
        role: z.literal("assistant").optional(),
        content: z.string().nullable().optional(),
        refusal: z.string().nullable().optional(),
        tool_calls: z
          .array(
            z.strictObject({
              index: z.number().int().min(0),
              id: z.string().optional(),
              type: z.literal("function").optional(),
              function: z.strictObject({
                name: z.string().optional(),
                arguments: z.string().optional(),
              }),
            }),
          )
          .optional(),
      }),
      logprobs: z.null().optional(),
      finish_reason: finishReason.nullable(),
    }),
  ),
  usage: usage.nullable().optional(),
});

const completion = z.strictObject({
  id: z.string().min(1),
  object: z.literal("chat.completion"),
  created: z.number().int(),
  model: z.string(),
  system_fingerprint: z.string().nullable().optional(),
  choices: z
    .array(
      z.strictObject({
        index: z.number().int().min(0),
        message: z.strictObject({
          role: z.literal("assistant"),
          content: z.string().nullable(),
          refusal: z.string().nullable(),
          tool_calls: z
            .array(
              z.strictObject({
                id: z.string().min(1),
                type: z.literal("function"),
                function: z.strictObject({ name: z.string(), arguments: z.string() }),
              }),
            )
            .optional(),
        }),
        logprobs: z.null(),
        finish_reason: finishReason,
      }),
    )
    .min(1),
  usage,
});

/** OpenAI's error envelope ("Error codes"): message, type, param, code. */
const error = z.strictObject({
  error: z.strictObject({
    message: z.string().min(1),
    type: z.string().min(1),
    param: z.string().nullable(),
    code: z.string().nullable(),
  }),
});

/** OpenAI chat completions, as documented. */
export const openaiChatSchemas = { chunk, completion, usage, error };
