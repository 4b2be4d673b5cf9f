import { modelIdPattern } from "../config/env-schema.js";
import { isValidBranchName } from "../git/is-valid-branch-name.js";
import { stripHiddenText } from "../text/strip-hidden-text.js";
import { type ShipCommand, subcommands, type TaskOptions } from "./ship-command.js";

const trigger = "/ship";
const fence = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Reads a comment the way a person sees it and finds the first line that starts with
 * `/ship` as a whole token, outside code blocks and `>` quotes. Returns undefined when
 * the comment does not address Ship (`/shipit`, a quoted or fenced `/ship`, nothing).
 *
 * Grammar: `/ship [--model provider/model] [--branch name] <task>` where the task may
 * continue on the following lines; `/ship` alone is `help`; `/ship help|status|cancel|
 * retry|ready` (the word alone) is that subcommand.
 */
export function parseShipCommand(body: string): ShipCommand | undefined {
  const lines = stripHiddenText(body).replace(/\r\n?/g, "\n").split("\n");
  let openFence: string | undefined;
  for (const [index, line] of lines.entries()) {
    const fenceMatch = fence.exec(line);
    if (fenceMatch?.[1]) {
      const marker = fenceMatch[1];
      if (openFence === undefined) openFence = marker;
      else if (marker[0] === openFence[0] && marker.length >= openFence.length)
        openFence = undefined;
      continue;
    }
    if (openFence !== undefined) continue;
    const text = line.trimStart();
    if (!text.startsWith(trigger)) continue;
    const after = text.slice(trigger.length);
    if (after !== "" && !/^\s/.test(after)) continue; // `/shipit`, `/ship-it`, `/ship.`
    const rest = [after, ...lines.slice(index + 1)].join("\n");
    return parseArguments(rest);
  }
  return undefined;
}

function parseArguments(rest: string): ShipCommand {
  const options: TaskOptions = {};
  let text = rest.trim();
  for (;;) {
    const option = /^--([A-Za-z][\w-]*)(?:=(\S*)|\s+(\S+)|(?=\s*$))/.exec(text);
    if (!text.startsWith("--")) break;
    if (!option)
      return {
        kind: "invalid",
        problem: `\`${text.split(/\s/)[0]}\` is not an option Ship knows. ${optionsHelp}`,
      };
    const [whole, name, inlineValue, spacedValue] = option;
    const value = inlineValue ?? spacedValue;
    if (name !== "model" && name !== "branch") {
      return {
        kind: "invalid",
        problem: `\`--${name}\` is not an option Ship knows. ${optionsHelp}`,
      };
    }
    if (!value) return { kind: "invalid", problem: `\`--${name}\` needs a value. ${optionsHelp}` };
    if (options[name] !== undefined) {
      return { kind: "invalid", problem: `\`--${name}\` is given twice.` };
    }
    if (name === "model" && !modelIdPattern.test(value)) {
      return {
        kind: "invalid",
        problem: `\`--model ${value}\` is not a model name; write it as \`provider/model\`, e.g. \`--model anthropic/claude-sonnet-4-5\`.`,
      };
    }
    if (name === "branch" && !isValidBranchName(value)) {
      return {
        kind: "invalid",
        problem: `\`--branch ${value}\` is not a branch name Ship can use: use letters, digits, \`.\`, \`_\`, \`-\` and \`/\`, e.g. \`--branch fix/login-timeout\`.`,
      };
    }
    options[name] = value;
    text = text.slice(whole.length).trimStart();
  }

  const hasOptions = Object.keys(options).length > 0;
  const word = text.toLowerCase();
  if (!hasOptions && (subcommands as readonly string[]).includes(word)) {
    return { kind: word as (typeof subcommands)[number] };
  }
  if (text === "") {
    return hasOptions
      ? {
          kind: "invalid",
          problem:
            "The options are there but the task is missing: write what Ship should do after them.",
        }
      : { kind: "help" };
  }
  return { kind: "task", task: text, options };
}

const optionsHelp = "Options: `--model provider/model`, `--branch name`, written before the task.";
