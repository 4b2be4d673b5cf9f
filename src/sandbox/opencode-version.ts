/**
 * The OpenCode release Ship drives: the one in Ship's E2B template, the one installed
 * into a sandbox that lacks it, and the `opencode-ai` package the local world runs
 * (a test keeps them equal). Change them together, after the agent tests pass.
 */
export const opencodeVersion = "1.18.33";
