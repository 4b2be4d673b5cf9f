import { z } from "zod";

const message = z.looseObject({
  role: z.string(),
  /** A string, or OpenAI's array of content parts (`{ type: "text", text }`, ...). */
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string() })), z.null()]).optional(),
  tool_calls: z
    .array(
      z.looseObject({
        id: z.string(),
        function: z.looseObject({ name: z.string(), arguments: z.string() }),
      }),
    )
    .optional(),
  tool_call_id: z.string().optional(),
});

/**
 * The part of an OpenAI `POST /chat/completions` body the sim reads. Loose: fields it
 * does not read (temperature, max_tokens, tool schemas) pass through untouched, so a
 * newer client does not break it; a body without these fields is refused with a 400,
 * as OpenAI would.
 */
export const chatRequestSchema = z.looseObject({
  model: z.string().min(1),
  messages: z.array(message).min(1),
  stream: z.boolean().optional(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  tools: z.array(z.unknown()).optional(),
});

/** A chat-completions request body, parsed. */
export type ChatRequest = z.output<typeof chatRequestSchema>;
