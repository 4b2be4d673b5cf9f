import { distance } from "fastest-levenshtein";

/**
 * The known name a typo most likely meant (`modle` → `model`, `timout` → `timeout`), or
 * undefined when none is close: at most two edits, and fewer than half the word's letters,
 * so `foo` suggests nothing rather than something unrelated.
 */
export function closestName(word: string, names: readonly string[]): string | undefined {
  let best: { name: string; edits: number } | undefined;
  for (const name of names) {
    const edits = distance(word.toLowerCase(), name.toLowerCase());
    if (edits <= 2 && edits < Math.ceil(word.length / 2) && (!best || edits < best.edits)) {
      best = { name, edits };
    }
  }
  return best?.name;
}
