import { z } from "zod";

const contentBlocks = z.array(z.looseObject({ type: z.string() }));

/**
 * The part of an Anthropic `POST /v1/messages` body the sim reads. Loose like the
 * others, but as strict as Anthropic where it refuses: `max_tokens` is required,
 * roles are `user` and `assistant` only (the system prompt is the top-level `system`),
 * and a request without these is a 400.
 */
export const messagesRequestSchema = z.looseObject({
  model: z.string().min(1),
  max_tokens: z.number().int().min(1),
  messages: z.array(
    z.looseObject({
      role: z.enum(["user", "assistant"]),
      content: z.union([z.string(), contentBlocks]),
    }),
  ),
  system: z.union([z.string(), contentBlocks]).optional(),
  stream: z.boolean().optional(),
  tools: z.array(z.unknown()).optional(),
});
