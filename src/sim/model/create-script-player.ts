import type { ErrorStep, ScriptStep } from "./script-step.js";

/** The step that answers one request, and where it came from. */
export interface PlayedStep {
  /** The script played: the requested model's, or "default" when it has none. */
  script: string;
  turn: number;
  step: ScriptStep;
  /** The script has no step for this turn; `step` is the 400 that says so. */
  exhausted: boolean;
}

/** The scripts of one model server and how often each turn has been asked for. */
export interface ScriptPlayer {
  /** Replaces (or adds) a script and forgets how often its turns were asked for. */
  set(name: string, steps: readonly ScriptStep[]): void;
  names(): string[];
  /** The step answering `turn` of the script named `model`; counts the request. */
  play(model: string, turn: number): PlayedStep;
}

/** A conversation turn: errors that fail its first requests, then what answers it. */
interface Turn {
  failFirst: Array<{ step: ErrorStep; times: number }>;
  answer: ScriptStep | undefined;
}

interface Script {
  turns: Turn[];
  /** Requests seen per turn; what makes "fail n times" survive client retries. */
  seen: number[];
}

/**
 * Holds scripts by name. A script is compiled into turns once, when it is set: an
 * error step with `times` does not take a turn of its own but fails the first
 * requests of the turn answered by the step after it. Unknown models play the
 * script named "default", which starts as a single "Done." reply.
 */
export function createScriptPlayer(): ScriptPlayer {
  const scripts = new Map<string, Script>();

  function set(name: string, steps: readonly ScriptStep[]): void {
    steps.forEach((step, index) => {
      checkStep(step, `script "${name}" step ${index}`);
    });
    scripts.set(name, { turns: compile(structuredClone([...steps])), seen: [] });
  }

  set("default", [{ reply: "Done." }]);

  return {
    set,
    names: () => [...scripts.keys()],
    play(model, turn) {
      const name = scripts.has(model) ? model : "default";
      const script = scripts.get(name) as Script;
      const seen = script.seen[turn] ?? 0;
      script.seen[turn] = seen + 1;
      const current = script.turns[turn];
      let remaining = seen;
      for (const { step, times } of current?.failFirst ?? []) {
        if (remaining < times) return { script: name, turn, step, exhausted: false };
        remaining -= times;
      }
      if (current?.answer) return { script: name, turn, step: current.answer, exhausted: false };
      const scripted = script.turns.length;
      const message = `The model sim's script "${name}" has no step for turn ${turn} (it scripts ${scripted} turn${scripted === 1 ? "" : "s"})`;
      return { script: name, turn, step: { error: { status: 400, message } }, exhausted: true };
    },
  };
}

function compile(steps: ScriptStep[]): Turn[] {
  const turns: Turn[] = [];
  let failFirst: Turn["failFirst"] = [];
  for (const step of steps) {
    if ("error" in step && step.times !== undefined) {
      failFirst.push({ step, times: step.times });
      continue;
    }
    turns.push({ failFirst, answer: step });
    failFirst = [];
  }
  if (failFirst.length > 0) turns.push({ failFirst, answer: undefined });
  return turns;
}

/** Catches what the types cannot: scripts built at run time, and bad numbers. */
function checkStep(step: ScriptStep, where: string): void {
  const kinds = ["reply", "toolCalls", "error", "stall"].filter((kind) => kind in step);
  if (kinds.length !== 1) {
    throw new TypeError(`${where} must have exactly one of reply, toolCalls, error, stall`);
  }
  const numbers: Array<[string, number | undefined, number]> = [];
  if ("error" in step) {
    const { status, retryAfterMs, retryAfterSeconds } = step.error;
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`${where}: error.status must be an HTTP error status (400-599)`);
    }
    numbers.push(["times", step.times, 1], ["error.retryAfterMs", retryAfterMs, 0]);
    numbers.push(["error.retryAfterSeconds", retryAfterSeconds, 0]);
  }
  if ("reply" in step || "toolCalls" in step) {
    numbers.push(["delayMs", step.delayMs, 0]);
    const usage = step.usage;
    numbers.push(["usage.input", usage?.input, 0], ["usage.output", usage?.output, 0]);
    numbers.push(
      ["usage.cacheRead", usage?.cacheRead, 0],
      ["usage.cacheWrite", usage?.cacheWrite, 0],
    );
  }
  for (const [field, value, min] of numbers) {
    if (value !== undefined && (!Number.isInteger(value) || value < min)) {
      throw new RangeError(`${where}: ${field} must be an integer >= ${min}`);
    }
  }
}
