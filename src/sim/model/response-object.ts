import type { AnswerHeader } from "./answer-header.js";

/** Response fields whose values do not depend on the request, as OpenAI sends them unset. */
const defaults = {
  instructions: null,
  max_output_tokens: null,
  metadata: {},
  parallel_tool_calls: true,
  previous_response_id: null,
  reasoning: { effort: null, summary: null },
  store: true,
  temperature: 1,
  text: { format: { type: "text" } },
  tool_choice: "auto",
  tools: [],
  top_p: 1,
  truncation: "disabled",
};

/**
 * A Responses API `response` object: `header`, the request's echoed parameters over
 * OpenAI's defaults, and the state given (`status`, `output`, `usage`, ...).
 */
export function responseObject(
  header: AnswerHeader,
  echo: Record<string, unknown>,
  state: { status: "in_progress" | "completed"; output: object[]; usage: object | null },
): object {
  return {
    id: header.id,
    object: "response",
    created_at: header.created,
    status: state.status,
    error: null,
    incomplete_details: null,
    model: header.model,
    ...defaults,
    ...echo,
    output: state.output,
    usage: state.usage,
    user: null,
  };
}
