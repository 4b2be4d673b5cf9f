import type { ShipCommand } from "../commands/ship-command.js";

/** The longest comment GitHub accepts, in characters. */
const size = 65_536;

/** `unit` repeated, then spaces, then `tail`: exactly `size` characters. */
const fill = (unit: string, tail = "\n/ship x") => {
  const units = unit.repeat(Math.floor((size - tail.length) / unit.length));
  return units.padEnd(size - tail.length, " ") + tail;
};

/** Backtick runs of length 1, 2, 3, ..., each unmatched on the line: `x``x```x...`. */
const growingRuns = (length: number) => {
  let runs = "";
  for (let n = 1; runs.length < length; n++) runs += `${"`".repeat(n)}x`;
  return runs.slice(0, length);
};

/**
 * Comments built to make a `/ship` parser slow, one for each way its work could grow
 * faster than the comment: searches that restart at every marker, backtracking over
 * backtick runs, per-line work over 65,536 lines, nesting, long fences and invisible
 * characters that double the reading. Each ends with a `/ship` line, so nothing can be
 * skipped, and says what a reader sees there: `task` (`x`) or `undefined` (hidden).
 */
export const worstCaseComments: ReadonlyArray<{
  name: string;
  body: string;
  reads: ShipCommand["kind"] | undefined;
}> = [
  {
    name: "backtick runs of growing length on one line",
    body: `${growingRuns(size - 8)}\n/ship x`,
    reads: "task",
  },
  {
    name: "40 × <!----> then backtick runs of growing length",
    body: `${`${"<!---->".repeat(40)}${growingRuns(size)}`.slice(0, size - 8)}\n/ship x`,
    reads: "task",
  },
  { name: "<!----> × 9,360 on one line", body: fill("<!---->"), reads: "task" },
  { name: "<!----> and a lone backtick, repeated", body: fill("<!---->`"), reads: "task" },
  { name: "<!-- after unmatched `` runs", body: fill("``<!--x`"), reads: undefined },
  { name: "code spans hiding <!--", body: fill("`<!--` "), reads: "task" },
  {
    name: "lines of <!-- --> then growing backtick runs",
    body: fill(`<!-- -->${growingRuns(200)}\n`),
    reads: "task",
  },
  {
    name: "an unclosed <!-- before backtick runs",
    body: `<!--${growingRuns(size - 12)}\n/ship x`,
    reads: undefined,
  },
  { name: "<!-- and --> on alternate CRLF lines", body: fill("<!--\r\n-->\r\n"), reads: "task" },
  { name: "65,528 empty lines", body: fill("\n"), reads: "task" },
  { name: "> quotes nested 32,764 deep", body: fill("> ", "/ship x"), reads: undefined },
  {
    name: "list items nested 32,760 deep, then a fence",
    body: fill("- ", "```\n/ship x"),
    reads: "task",
  },
  {
    name: "ordered list items nested deep, then a fence",
    body: fill("1. ", "```\n/ship x"),
    reads: "task",
  },
  { name: "one fence of 65,528 backticks", body: fill("`"), reads: undefined },
  { name: "16,382 fence lines opening and closing", body: fill("```\n"), reads: "task" },
  {
    name: "fences in list items, less indented each time",
    body: fill("- ```\n  x\n ```\n"),
    reads: "task",
  },
  { name: "zero-width spaces", body: fill("\u200b"), reads: "task" },
  { name: "zero-width spaces between slashes", body: fill("/\u200b"), reads: "task" },
  {
    name: "zero-width spaces inside <!-- and backtick runs",
    body: fill("<\u200b!--`\u200b`<!--\u200b-->"),
    reads: "task",
  },
  {
    name: "65,536 tag characters (131,072 UTF-16 units)",
    body: `${"\u{E0041}".repeat(size - 8)}\n/ship x`,
    reads: "task",
  },
  { name: "/sh<!-- -->ip pieces", body: fill("/sh<!-- -->ip "), reads: "task" },
  {
    name: "/ship --model and 65,523 spaces",
    body: `/ship --model${" ".repeat(size - 13)}`,
    reads: "invalid",
  },
  {
    name: "/ship --branch and a 65,521-character name",
    body: `/ship --branch ${"a".repeat(size - 15)}`,
    reads: "invalid",
  },
  {
    name: "a task of 65,530 characters with comments and hidden characters",
    body: `/ship ${"x\u200b<!-- -->`<!--`\n".repeat(5_000)}`.slice(0, size),
    reads: "task",
  },
  {
    name: "10 MB of hidden /ship lines, far over GitHub's limit",
    body: "<!--\n/ship x\n-->\n".repeat(600_000),
    reads: undefined,
  },
];
