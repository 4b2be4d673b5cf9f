/**
 * OpenCode's hidden agents, known by how their system prompt opens (opencode 1.18.33):
 * `title` names an untitled session, `compaction` condenses a long conversation
 * (`session.summarize`, or automatically near the context limit), `summary` writes a
 * PR-style summary. None of them is a turn of the conversation, and none sends tools.
 */
const hiddenAgentPrompts = [
  ["title", /^You are a title generator\b/],
  ["compaction", /^You are a context summarization agent\b/],
  ["summary", /^Summarize what was done in this conversation\b/],
] as const;

/**
 * Which of OpenCode's side requests a request with these system texts is, or
 * undefined for a turn of the conversation. A system text must open with the hidden
 * agent's prompt, so a conversation that merely mentions titles is never mistaken for
 * one. The OpenCode contract test fails if an upgrade changes these prompts.
 */
export function sideRequestKind(
  system: readonly string[],
): (typeof hiddenAgentPrompts)[number][0] | undefined {
  for (const text of system) {
    const match = hiddenAgentPrompts.find(([, prompt]) => prompt.test(text.trimStart()));
    if (match) return match[0];
  }
  return undefined;
}
