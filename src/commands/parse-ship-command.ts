import { modelIdPattern } from "../config/env-schema.js";
import { isValidBranchName } from "../git/is-valid-branch-name.js";
import { stripHiddenText } from "../text/strip-hidden-text.js";
import { type ShipCommand, subcommands, type TaskOptions } from "./ship-command.js";

const trigger = "/ship";
/** A fence opens after up to 3 spaces, or after list markers (a fence inside a list item). */
const openingFence = /^ {0,3}(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*(`{3,}|~{3,})/;
/** A fence closes with the same character, at least as long, and nothing after it. */
const closingFence = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
/** Characters a reader cannot see (zero-width, bidi controls, ...). */
const invisible = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu;

/**
 * Reads a comment the way a person sees it and finds the first line that starts with
 * `/ship` as a whole token, outside code (fenced, in a list item or indented) and `>`
 * quotes, and outside HTML comments (which GitHub does not show; an `<!--` inside inline
 * code is text). Returns undefined when the comment does not address Ship (`/shipit`, a
 * quoted, fenced or commented-out `/ship`, nothing).
 *
 * Grammar: `/ship [--model provider/model] [--branch name] <task>` where the task may
 * continue on the following lines; `/ship` alone is `help`; `/ship help|status|cancel|
 * retry|ready` (the word alone) is that subcommand.
 */
export function parseShipCommand(body: string): ShipCommand | undefined {
  const lines = body.split(/\r\n|\r|\n/);
  // Invisible characters can make or break a fence or a comment marker: read the comment
  // with them and without them, and take a line as Ship's only when both readings do.
  const asWritten = readLines(lines);
  const asShown = readLines(lines.map((line) => line.replace(invisible, "")));
  for (const index of lines.keys()) {
    const command = [asWritten[index], asShown[index]].map((text) => {
      const start = text?.replace(invisible, "");
      // Four spaces of indentation make a code block.
      if (start === undefined || !/^ {0,3}\S/.test(start)) return undefined;
      const after = start.trimStart().startsWith(trigger)
        ? start.trimStart().slice(trigger.length)
        : undefined;
      // `/shipit`, `/ship-it`, `/ship.` are not Ship's.
      return after !== undefined && (after === "" || /^\s/.test(after)) ? after : undefined;
    });
    if (command[0] === undefined || command[1] === undefined) continue;
    // The task runs to the end of the comment, hidden text removed, line breaks as `\n`.
    const rest = body.slice(lineEnd(body, index));
    return parseArguments(stripHiddenText(command[1] + rest).replace(/\r\n?/g, "\n"));
  }
  return undefined;
}

/** Where line `index` (counted as `split(/\r\n|\r|\n/)` does) ends in `body`. */
function lineEnd(body: string, index: number): number {
  const lineBreak = /\r\n|\r|\n/g;
  for (let i = 0; i < index; i++) lineBreak.exec(body);
  const next = lineBreak.exec(body);
  return next ? next.index : body.length;
}

/**
 * The fence `line` opens, if any. Inside a list item the item's content starts where the
 * fence does (`indent`); elsewhere a closing fence may have any indentation up to 3.
 */
function fenceOpenedBy(line: string): { marker: string; indent: number } | undefined {
  const opening = openingFence.exec(line);
  if (!opening?.[1]) return undefined;
  const prefix = opening[0].slice(0, -opening[1].length);
  return { marker: opening[1], indent: prefix.trim() === "" ? 0 : prefix.length };
}

/**
 * Each line's visible text, or undefined for a line a reader sees as code (a fence, or
 * inside one) or that an HTML comment hides entirely.
 */
function readLines(lines: string[]): Array<string | undefined> {
  let openFence: { marker: string; indent: number } | undefined;
  let inComment = false;
  return lines.map((line) => {
    if (!inComment) {
      if (openFence === undefined) {
        openFence = fenceOpenedBy(line);
        if (openFence) return undefined;
      } else if (
        openFence.indent > 0 &&
        /\S/.test(line) &&
        (/^ */.exec(line)?.[0].length ?? 0) < openFence.indent &&
        !/^ {0,3}[`~]/.test(line)
      ) {
        // Less indented than the list item's content: the item, and its code, end here;
        // the line is read as it stands (it may open a list item with a fence itself).
        openFence = fenceOpenedBy(line);
        if (openFence) return undefined;
      } else {
        const fenceLine = openingFence.exec(line);
        const indent = fenceLine?.[1] ? fenceLine[0].length - fenceLine[1].length : 0;
        const closing = closingFence.exec(line)?.[1];
        if (fenceLine?.[1] && indent < openFence.indent && /^ {0,3}[`~]/.test(line)) {
          // Less indented than the list item's content: the item, and its code, end
          // here, and this line opens a code block of its own.
          openFence = { marker: fenceLine[1], indent };
        } else if (
          closing &&
          closing[0] === openFence.marker[0] &&
          closing.length >= openFence.marker.length
        ) {
          openFence = undefined;
        }
        return undefined;
      }
    }
    const seen = visiblePart(line, inComment);
    inComment = seen.inComment;
    return seen.text;
  });
}

/**
 * The part of one line a reader sees, given whether an HTML comment is open at its
 * start; and whether one is still open at its end. `<!--` inside inline code is text.
 */
function visiblePart(line: string, inComment: boolean): { text: string; inComment: boolean } {
  let text = "";
  let rest = line;
  let open = inComment;
  for (;;) {
    if (open) {
      const end = rest.indexOf("-->");
      if (end < 0) return { text, inComment: true };
      rest = rest.slice(end + 3);
      open = false;
      continue;
    }
    // Code spans on this line hide `<!--` from the search (same length, so indexes hold).
    const masked = rest.replace(/(`+)(?!`)[\s\S]*?[^`]\1(?!`)/g, (span) => " ".repeat(span.length));
    const begin = masked.indexOf("<!--");
    if (begin < 0) return { text: text + rest, inComment: false };
    text += rest.slice(0, begin);
    rest = rest.slice(begin + 4);
    open = true;
  }
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
