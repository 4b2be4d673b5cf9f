/**
 * What the sim reads from a model request, whichever wire format carried it. The
 * script's step is chosen from `model` and `turn` alone, so the same script plays
 * over chat completions, the Responses API and Anthropic Messages.
 */
export interface ModelRequest {
  model: string;
  stream: boolean;
  /** Chat completions' `stream_options.include_usage`; the other formats always stream usage. */
  includeUsage: boolean;
  /** The system prompt's texts, where OpenCode's hidden agents are recognised. */
  system: string[];
  /** How many answers of the model the conversation already carries. */
  turn: number;
  /** Request parameters the provider repeats in its answer (the Responses API does). */
  echo: Record<string, unknown>;
}
