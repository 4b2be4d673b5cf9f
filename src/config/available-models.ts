import type { Config } from "./read-config.js";

/**
 * The models a run may use, as `provider/model`: every model listed in SHIP_PROVIDERS,
 * and SHIP_MODEL. A provider configured without a `models` list accepts any model name
 * (`provider/*`), since OpenCode knows its catalogue.
 */
export function availableModels(model: Config["model"]): string[] {
  const listed = Object.entries(model.providers).flatMap(([provider, settings]) =>
    settings.models
      ? Object.keys(settings.models).map((name) => `${provider}/${name}`)
      : [`${provider}/*`],
  );
  return [...new Set([model.default, ...listed])];
}
