import { modelIdPattern } from "../config/env-schema.js";
import { isValidBranchName } from "../git/is-valid-branch-name.js";
import { stripHiddenText } from "../text/strip-hidden-text.js";
import { type ShipCommand, subcommands, type TaskOptions } from "./ship-command.js";

type Subcommand = (typeof subcommands)[number];

const trigger = "/ship";
/**
 * GitHub refuses comments over 65,536 characters; counted as JavaScript counts (UTF-16
 * code units) that is at most twice as many. Ship reads no further, so no body, however
 * it arrives, costs more than one comment GitHub could send.
 */
const maxCommentLength = 2 * 65_536;
/** A fence opens after up to 3 spaces, or after list markers (a fence inside a list item). */
const openingFence = /^ {0,3}(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*(`{3,}|~{3,})/;
/** A fence closes with the same character, at least as long, and nothing after it. */
const closingFence = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
/** Characters a reader cannot see (zero-width, bidi controls, ...). */
const invisible = /[\p{Cf}\p{Default_Ignorable_Code_Point}]+/gu;
const someInvisible = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
/**
 * A line that starts with `/ship` as a whole token, after at most 3 spaces (four make a
 * code block), read as if its invisible characters were not there: they may sit between
 * any two visible ones, and what follows the token must be visible space (U+FEFF is
 * invisible space) or nothing. `/shipit`, `/ship-it`, `/ship.` are not Ship's. Any case
 * (`/Ship`, `/SHIP`: phone keyboards capitalize), ASCII letters only.
 */
const addressed = (() => {
  const hidden = "[\\p{Cf}\\p{Default_Ignorable_Code_Point}]";
  const h = `${hidden}*`;
  return new RegExp(
    `^${h}(?: ${h}){0,3}/${h}[sS]${h}[hH]${h}[iI]${h}[pP](?=${h}(?:$|(?!${hidden})\\s))`,
    "u",
  );
})();

/**
 * Reads a comment the way a person sees it and finds the first line that starts with
 * `/ship` as a whole token, outside code (fenced, in a list item or indented) and `>`
 * quotes, and outside HTML comments (which GitHub does not show; an `<!--` inside inline
 * code is text). Returns undefined when the comment does not address Ship (`/shipit`, a
 * quoted, fenced or commented-out `/ship`, nothing).
 *
 * Grammar: `/ship [--model provider/model] [--branch name] [--new] <task>` where the
 * task may continue on the following lines; `/ship` alone is `help`. A line whose first
 * word is `help|status|cancel|retry|ready` (any case) is that subcommand, whatever
 * follows: `retry` takes `--model`, the others nothing, and anything else is a refusal,
 * never a task. A later `/ship` line ends the request (one per comment) and is marked
 * `anotherRequest`; the lines after a subcommand's own are not read.
 */
export function parseShipCommand(comment: string): ShipCommand | undefined {
  const body = comment.length > maxCommentLength ? comment.slice(0, maxCommentLength) : comment;
  // Most comments never mention Ship: every command has a slash, and without invisible
  // characters, which can hide `/ship` or `<!--` from a search, only an HTML comment can
  // join a visible `/ship` from pieces (`/sh<!-- -->ip`).
  if (!body.includes("/")) return undefined;
  const hidesCharacters = someInvisible.test(body);
  if (!hidesCharacters && !body.toLowerCase().includes(trigger) && !body.includes("<!--")) {
    return undefined;
  }
  // Invisible characters can make or break a fence or a comment marker: read the comment
  // with them and without them, and take a line as Ship's only when both readings do
  // (without invisible characters the two readings are one).
  const readWritten = lineReader();
  const readShown = hidesCharacters ? lineReader() : undefined;
  const lineEnd = lineEnds(body);
  let first: { after: string; end: number } | undefined;
  for (let start = 0; ; ) {
    const end = lineEnd(start);
    const line = body.slice(start, end);
    const written = commandAfter(readWritten(line));
    const after = readShown ? commandAfter(readShown(line.replace(invisible, ""))) : written;
    if (written !== undefined && after !== undefined) {
      if (first) return { ...request(first, body.slice(first.end, start)), anotherRequest: true };
      first = { after, end };
    }
    if (end === body.length) return first && request(first, body.slice(first.end));
    start = end + (body.startsWith("\r\n", end) ? 2 : 1);
  }
}

/**
 * The request of a `/ship` line: what follows the token, then the lines after it up to
 * the next request; hidden text removed, line breaks as `\n`.
 */
function request(first: { after: string }, rest: string): ShipCommand {
  return parseArguments(stripHiddenText(first.after + rest).replace(/\r\n?/g, "\n"));
}

/**
 * Where the line starting at `start` ends (lines as `split(/\r\n|\r|\n/)` cuts them),
 * for starts in increasing order: each search begins where the last one stopped.
 */
function lineEnds(body: string): (start: number) => number {
  let newline = body.indexOf("\n");
  let carriage = body.indexOf("\r");
  return (start) => {
    if (newline >= 0 && newline < start) newline = body.indexOf("\n", start);
    if (carriage >= 0 && carriage < start) carriage = body.indexOf("\r", start);
    const end = newline < 0 ? body.length : newline;
    return carriage >= 0 && carriage < end ? carriage : end;
  };
}

/** What follows `/ship` on a line whose visible text starts with it as a whole token. */
function commandAfter(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const found = addressed.exec(text);
  return found ? text.slice(found[0].length) : undefined;
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
 * Reads a comment line after line, as a reader does: each line's visible text, or
 * undefined for a line a reader sees as code (a fence, or inside one) or that an HTML
 * comment hides entirely.
 */
function lineReader(): (line: string) => string | undefined {
  let openFence: { marker: string; indent: number } | undefined;
  let inComment = false;
  return (line) => {
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
    if (!inComment && !line.includes("<!--")) return line;
    const seen = visiblePart(line, inComment);
    inComment = seen.inComment;
    return seen.text;
  };
}

/**
 * The part of one line a reader sees, given whether an HTML comment is open at its
 * start; and whether one is still open at its end. `<!--` inside inline code is text.
 * One pass, whatever the line holds (a comment is read as it arrives, before anyone's
 * permission is checked): every search starts where the last one stopped.
 */
function visiblePart(line: string, inComment: boolean): { text: string; inComment: boolean } {
  // The first `<!--` at or after `at`, searched again only once `at` has passed it.
  let marker = line.indexOf("<!--");
  const runs = backtickRuns(line);
  let text = "";
  let at = 0;
  let open = inComment;
  let run = 0;
  for (;;) {
    if (open) {
      const end = line.indexOf("-->", at);
      if (end < 0) return { text, inComment: true };
      at = end + 3;
      open = false;
    }
    if (marker >= 0 && marker < at) marker = line.indexOf("<!--", at);
    while ((runs[run]?.start ?? line.length) < at) run++;
    const next = runs[run];
    if (next !== undefined && (marker < 0 || next.start < marker)) {
      // A code span hides any `<!--` inside it. A run without a closer is plain text, all
      // of it (CommonMark: the shorter runs inside it open nothing).
      if (next.closer === undefined) {
        run++;
        continue;
      }
      const closer = runs[next.closer] as BacktickRun;
      const end = closer.start + closer.length;
      text += line.slice(at, end);
      at = end;
      run = next.closer + 1;
      continue;
    }
    if (marker < 0) return { text: text + line.slice(at), inComment: false };
    text += line.slice(at, marker);
    at = marker + 4;
    open = true;
  }
}

/** A run of backticks; `closer` is the index of the next run as long (CommonMark). */
interface BacktickRun {
  start: number;
  length: number;
  closer: number | undefined;
}

/** The runs of backticks on a line, each with the run that would close a code span it opens. */
function backtickRuns(line: string): BacktickRun[] {
  const runs: BacktickRun[] = [];
  for (let i = line.indexOf("`"); i >= 0; i = line.indexOf("`", i)) {
    const start = i;
    while (line[i] === "`") i++;
    runs.push({ start, length: i - start, closer: undefined });
  }
  const lastOfLength = new Map<number, number>();
  for (let k = runs.length - 1; k >= 0; k--) {
    const r = runs[k] as BacktickRun;
    r.closer = lastOfLength.get(r.length);
    lastOfLength.set(r.length, k);
  }
  return runs;
}

function parseArguments(rest: string): ShipCommand {
  const leading = readOptions(rest.trim());
  if ("problem" in leading) return { kind: "invalid", problem: leading.problem };
  const { options } = leading;
  const text = leading.rest;
  const word = /^\S+/.exec(text)?.[0].toLowerCase() ?? "";
  if ((subcommands as readonly string[]).includes(word)) {
    // A subcommand reads its own line only; what follows it there are its options.
    const line = text.slice(word.length).split("\n")[0] ?? "";
    return subcommand(word as Subcommand, options, line.trim());
  }
  const hasOptions = Object.keys(options).length > 0;
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

/**
 * A subcommand with the options written before it and what follows it on its line:
 * `retry` may take another `--model`; every other word, or option, is a refusal that
 * says what the subcommand takes (a task that starts with such a word is not meant).
 */
function subcommand(name: Subcommand, before: TaskOptions, after: string): ShipCommand {
  if (name === "help") return { kind: "help" };
  const trailing = readOptions(after);
  if ("problem" in trailing) return { kind: "invalid", problem: trailing.problem };
  const options = { ...before };
  for (const [key, value] of Object.entries(trailing.options)) {
    if (key in options) return { kind: "invalid", problem: `\`--${key}\` is given twice.` };
    Object.assign(options, { [key]: value });
  }
  const words = trailing.rest;
  const named = Object.keys(options).map((key) => `\`--${key}\``);
  if (name === "retry") {
    const refused = named.filter((option) => option !== "`--model`");
    if (refused.length > 0) {
      return {
        kind: "invalid",
        problem: `\`/ship retry\` cannot take ${refused.join(" or ")}: a retry repeats the same request, on the branch its run pushed. It takes \`--model provider/model\` only, e.g. \`/ship retry --model anthropic/claude-sonnet-4-5\`.`,
      };
    }
    if (words !== "") {
      return {
        kind: "invalid",
        problem: `\`/ship retry\` takes \`--model provider/model\` only, not ${codeWord(words)}. ${taskStartingWith(name)}`,
      };
    }
    return options.model !== undefined
      ? { kind: "retry", options: { model: options.model } }
      : { kind: "retry" };
  }
  if (named.length > 0 || words !== "") {
    return {
      kind: "invalid",
      problem: `\`/ship ${name}\` takes no options or other words (it was given ${named.length > 0 ? named.join(", ") : codeWord(words)}). ${taskStartingWith(name)}`,
    };
  }
  return { kind: name };
}

/** The first word of `text`, as code. */
function codeWord(text: string): string {
  const word = (/^\S+/.exec(text)?.[0] ?? text).slice(0, 40).replace(/`/g, "'");
  return `\`${word}\``;
}

/** How to ask for a task whose first word is a subcommand's. */
function taskStartingWith(name: Subcommand): string {
  return `For a task that starts with "${name}", put another word first (e.g. \`/ship fix the ${name} …\`).`;
}

/**
 * Reads the options at the start of `text`: the options and the text after them, or
 * what is wrong with one.
 */
function readOptions(text: string): { options: TaskOptions; rest: string } | { problem: string } {
  const options: TaskOptions = {};
  let rest = text;
  while (rest.startsWith("--")) {
    const name = /^--([A-Za-z][\w-]*)/.exec(rest)?.[1];
    if (name === "new") {
      const flag = /^--new(?=\s|$)/.exec(rest);
      if (!flag) return { problem: `\`--new\` takes no value. ${optionsHelp}` };
      if (options.new) return { problem: "`--new` is given twice." };
      options.new = true;
      rest = rest.slice(flag[0].length).trimStart();
      continue;
    }
    const option = /^--([A-Za-z][\w-]*)(?:=(\S*)|\s+(\S+)|(?=\s*$))/.exec(rest);
    if (!option) {
      return { problem: `\`${rest.split(/\s/)[0]}\` is not an option Ship knows. ${optionsHelp}` };
    }
    const [whole, , inlineValue, spacedValue] = option;
    const value = inlineValue ?? spacedValue;
    if (name !== "model" && name !== "branch") {
      return { problem: `\`--${name}\` is not an option Ship knows. ${optionsHelp}` };
    }
    if (!value) return { problem: `\`--${name}\` needs a value. ${optionsHelp}` };
    if (options[name] !== undefined) return { problem: `\`--${name}\` is given twice.` };
    if (name === "model" && !modelIdPattern.test(value)) {
      return {
        problem: `\`--model ${value}\` is not a model name; write it as \`provider/model\`, e.g. \`--model anthropic/claude-sonnet-4-5\`.`,
      };
    }
    if (name === "branch" && !isValidBranchName(value)) {
      return {
        problem: `\`--branch ${value}\` is not a branch name Ship can use: use letters, digits, \`.\`, \`_\`, \`-\` and \`/\`, e.g. \`--branch fix/login-timeout\`.`,
      };
    }
    options[name] = value;
    rest = rest.slice(whole.length).trimStart();
  }
  return { options, rest };
}

const optionsHelp =
  "Options: `--model provider/model`, `--branch name`, `--new`, written before the task.";
