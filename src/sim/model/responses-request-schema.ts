import { z } from "zod";

/** One item of `input`: a message (`role`, `content`) or a typed item such as `function_call`. */
const inputItem = z.looseObject({
  type: z.string().optional(),
  role: z.string().optional(),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]).optional(),
});

/**
 * The part of an OpenAI `POST /v1/responses` body the sim reads. Loose like the chat
 * schema: unread fields (tools, reasoning, include, ...) pass through. `input` is a
 * string or a list of items; the conversation so far travels in it because OpenCode
 * sends `store: false` (the sim keeps no responses to continue from).
 */
export const responsesRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(inputItem)]),
  instructions: z.string().nullish(),
  stream: z.boolean().nullish(),
  previous_response_id: z.string().nullish(),
  tools: z.array(z.unknown()).optional(),
});

/** A Responses API request body, parsed. */
export type ResponsesRequest = z.output<typeof responsesRequestSchema>;
