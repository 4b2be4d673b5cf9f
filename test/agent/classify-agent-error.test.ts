import { classifyAgentError } from "../../src/agent/classify-agent-error.js";

const apiError = (statusCode: number | undefined, isRetryable: boolean, message = "m") => ({
  name: "APIError" as const,
  data: { message, isRetryable, ...(statusCode === undefined ? {} : { statusCode }) },
});

describe("classifyAgentError", () => {
  it("maps provider answers to what a user can do about them", () => {
    expect(classifyAgentError(apiError(400, false, "bad"))).toEqual({
      category: "provider_rejected",
      message: "bad",
      retryable: false,
      statusCode: 400,
    });
    expect(classifyAgentError(apiError(404, false))).toMatchObject({
      category: "provider_rejected",
    });
    expect(classifyAgentError(apiError(401, false))).toMatchObject({ category: "provider_auth" });
    expect(classifyAgentError(apiError(403, false))).toMatchObject({ category: "provider_auth" });
    for (const status of [429, 500, 503]) {
      expect(classifyAgentError(apiError(status, true))).toMatchObject({
        category: "provider_unavailable",
        retryable: true,
        statusCode: status,
      });
    }
  });

  it("treats an unreachable provider as unavailable", () => {
    expect(classifyAgentError(apiError(undefined, true, "Cannot connect to API"))).toEqual({
      category: "provider_unavailable",
      message: "Cannot connect to API",
      retryable: true,
    });
  });

  it("recognises OpenCode's own errors", () => {
    expect(
      classifyAgentError({ name: "UnknownError", data: { message: "Model not found: a/b." } }),
    ).toMatchObject({ category: "provider_rejected", message: "Model not found: a/b." });
    expect(
      classifyAgentError({
        name: "ProviderAuthError",
        data: { providerID: "a", message: "no key" },
      }),
    ).toMatchObject({ category: "provider_auth" });
    expect(
      classifyAgentError({ name: "MessageAbortedError", data: { message: "Aborted" } }),
    ).toMatchObject({ category: "aborted" });
    expect(
      classifyAgentError({ name: "ContextOverflowError", data: { message: "too long" } }),
    ).toEqual({
      category: "agent_failed",
      message: "ContextOverflowError: too long",
      retryable: false,
    });
    expect(
      classifyAgentError({ name: "UnknownError", data: { message: "Boom\n    at x (y.js:1:1)" } }),
    ).toMatchObject({ category: "agent_failed", message: "Boom" });
  });
});
