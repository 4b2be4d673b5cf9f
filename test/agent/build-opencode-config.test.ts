import { buildOpencodeConfig } from "../../src/agent/build-opencode-config.js";

const providers = {
  anthropic: { options: { apiKey: "anthropic-key" } },
  openai: { options: { apiKey: "openai-key" } },
};

describe("buildOpencodeConfig", () => {
  it("enables only the run's provider, so no other provider's key enters the sandbox", () => {
    const config = buildOpencodeConfig({ model: "anthropic/claude-sonnet-4-5", providers });
    expect(config.model).toBe("anthropic/claude-sonnet-4-5");
    expect(config.small_model).toBe("anthropic/claude-sonnet-4-5");
    expect(config.enabled_providers).toEqual(["anthropic"]);
    expect(config.provider).toEqual({ anthropic: { options: { apiKey: "anthropic-key" } } });
    expect(JSON.stringify(config)).not.toContain("openai-key");
  });

  it("keeps slashes in the model id and copies the provider, never sharing Ship's settings", () => {
    const shipProviders = { openrouter: { options: { apiKey: "k" } } };
    const config = buildOpencodeConfig({
      model: "openrouter/anthropic/claude-sonnet-4.5",
      providers: shipProviders,
    });
    expect(config.enabled_providers).toEqual(["openrouter"]);
    expect(config.provider?.openrouter).toEqual(shipProviders.openrouter);
    expect(config.provider?.openrouter).not.toBe(shipProviders.openrouter);
  });

  it("runs unattended: nothing asks for permission, tools that wait for a person are denied", () => {
    const { permission } = buildOpencodeConfig({ model: "anthropic/x", providers });
    expect(typeof permission).toBe("object");
    const rules = Object.entries(permission as Record<string, string>);
    // OpenCode applies the last matching rule: "*" must come first.
    expect(rules[0]).toEqual(["*", "allow"]);
    expect(rules.filter(([, action]) => action === "ask")).toEqual([]);
    for (const name of ["edit", "bash", "webfetch", "external_directory", "doom_loop", "read"]) {
      expect(permission).toHaveProperty(name, "allow");
    }
    for (const name of ["question", "plan_enter", "plan_exit"]) {
      expect(permission).toHaveProperty(name, "deny");
    }
  });

  it("switches off what would reach the network or do work Ship does not use", () => {
    expect(buildOpencodeConfig({ model: "anthropic/x", providers })).toMatchObject({
      autoupdate: false,
      share: "disabled",
      snapshot: false,
      lsp: false,
      formatter: false,
    });
  });

  it("refuses a model that is not provider/model", () => {
    expect(() => buildOpencodeConfig({ model: "claude", providers })).toThrow(/provider\/model/);
    expect(() => buildOpencodeConfig({ model: "anthropic/", providers })).toThrow(
      /provider\/model/,
    );
  });
});
