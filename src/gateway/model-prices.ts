import { z } from "zod";

/** US dollars per million tokens of each kind. */
export interface ModelPrice {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
}

export const modelPriceSchema = z.strictObject({
  input: z.number().min(0),
  output: z.number().min(0),
  cacheRead: z.number().min(0).optional(),
  cacheWrite: z.number().min(0).optional(),
});

/**
 * List prices of common models (USD per million tokens) as their providers published
 * them in 2025; `SHIP_MODEL_PRICES` adds to and overrides them. Keys are model ids as
 * sent to the provider; a dated id (`claude-sonnet-4-5-20250929`) finds its base.
 */
export const defaultModelPrices: Readonly<Record<string, ModelPrice>> = {
  "claude-opus-4-1": { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 },
  "claude-opus-4": { input: 15, output: 75, cacheRead: 1.5, cacheWrite: 18.75 },
  "claude-sonnet-4-5": { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  "claude-sonnet-4": { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  "claude-3-7-sonnet": { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 },
  "claude-haiku-4-5": { input: 1, output: 5, cacheRead: 0.1, cacheWrite: 1.25 },
  "claude-3-5-haiku": { input: 0.8, output: 4, cacheRead: 0.08, cacheWrite: 1 },
  "gpt-5": { input: 1.25, output: 10, cacheRead: 0.125 },
  "gpt-5-mini": { input: 0.25, output: 2, cacheRead: 0.025 },
  "gpt-4.1": { input: 2, output: 8, cacheRead: 0.5 },
  "gpt-4.1-mini": { input: 0.4, output: 1.6, cacheRead: 0.1 },
  "gpt-4o": { input: 2.5, output: 10, cacheRead: 1.25 },
  "gpt-4o-mini": { input: 0.15, output: 0.6, cacheRead: 0.075 },
  o3: { input: 2, output: 8, cacheRead: 0.5 },
  "o4-mini": { input: 1.1, output: 4.4, cacheRead: 0.275 },
};

/**
 * The price of `model` (as sent to `provider`): `provider/model` or `model` exactly in
 * `prices`, else the key the model id is a dated snapshot of (`claude-sonnet-4-5-20250929`,
 * `gpt-5-2025-08-07`, `-latest`), else `provider/*`, the price of any model of that provider (say
 * `"ollama/*": {"input": 0, "output": 0}` for models that cost nothing). Undefined when
 * unknown: the gateway then refuses the model under a budget in dollars.
 */
export function findModelPrice(
  prices: Readonly<Record<string, ModelPrice>>,
  provider: string,
  model: string,
): ModelPrice | undefined {
  // Own keys only: a model named `constructor` must not find Object's members.
  const own = (key: string) => (Object.hasOwn(prices, key) ? prices[key] : undefined);
  const exact = own(`${provider}/${model}`) ?? own(model);
  if (exact) return exact;
  // Only a date: `o3-pro` or `gpt-5-pro` is another model, priced many times higher.
  const snapshot = /^(.+)-(?:\d{8}|\d{4}-\d{2}-\d{2}|latest)$/.exec(model)?.[1];
  return (
    (snapshot ? (own(`${provider}/${snapshot}`) ?? own(snapshot)) : undefined) ??
    own(`${provider}/*`)
  );
}

/** What the tokens of one call cost, in US dollars. */
export function priceOf(
  price: ModelPrice | undefined,
  usage: { input: number; output: number; cacheRead: number; cacheWrite: number },
): number {
  if (!price) return 0;
  return (
    (usage.input * price.input +
      usage.output * price.output +
      usage.cacheRead * (price.cacheRead ?? price.input) +
      usage.cacheWrite * (price.cacheWrite ?? price.input)) /
    1_000_000
  );
}
