import { execFile } from "node:child_process";
import { promisify } from "node:util";
import fc from "fast-check";
import { parseShipCommand } from "../../src/commands/parse-ship-command.js";
import { type ShipCommand, subcommands } from "../../src/commands/ship-command.js";
import { modelIdPattern } from "../../src/config/env-schema.js";
import { repoConfigSchema } from "../../src/config/repo-config-schema.js";
import { branchNameFor } from "../../src/git/branch-name-for.js";
import { isValidBranchName } from "../../src/git/is-valid-branch-name.js";

const run = promisify(execFile);

/**
 * The same 100,000 comments on every run, so the suite passes or fails for a reason;
 * `FUZZ_SEED=<n> npx jest test/commands/ship-command-fuzz.test.ts` explores others
 * (`FUZZ_SEED=random` a fresh one each time), which is how new gaps are found.
 */
const fuzzSeed =
  process.env.FUZZ_SEED === "random" ? undefined : Number(process.env.FUZZ_SEED ?? 20_261_122);
if (fuzzSeed !== undefined) fc.configureGlobal({ seed: fuzzSeed });

/** git's own verdict on a branch name (asynchronously: never block the event loop). */
async function gitAccepts(name: string): Promise<boolean> {
  try {
    await run("git", ["check-ref-format", "--branch", name]);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------
// Building blocks of comments.

const zeroWidth = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"];
const bidi = [
  "\u202a",
  "\u202b",
  "\u202c",
  "\u202d",
  "\u202e",
  "\u2066",
  "\u2067",
  "\u2068",
  "\u2069",
];
/** Characters GitHub shows as nothing. */
const hiddenChar = fc.constantFrom(...zeroWidth, ...bidi, "\u00ad", "\u{E0041}", "\ufe0f");
const newline = fc.oneof(
  { weight: 6, arbitrary: fc.constant("\n") },
  { weight: 3, arbitrary: fc.constant("\r\n") },
  { weight: 1, arbitrary: fc.constant("\r") },
);
const fenceChar = fc.constantFrom("`", "~");
const indent = fc.constantFrom("", " ", "  ", "   ");
const invisible = /[\p{Cf}\p{Default_Ignorable_Code_Point}]/u;
const shellSafe = /^[A-Za-z0-9._/-]+$/;

/** Branch names: mostly plausible, some hostile to git or to a shell. */
const branchArb = fc.oneof(
  fc
    .array(fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,10}$/), { minLength: 1, maxLength: 3 })
    .map((parts) => parts.join("/")),
  fc.stringMatching(/^[A-Za-z0-9._/@{}~^:-]{1,15}$/),
  fc.constantFrom(
    "fix/login",
    "..",
    "a..b",
    "x.lock",
    "a/b.lock/c",
    ".hidden",
    "-x",
    "--x",
    "HEAD",
    "@",
    "a//b",
    "x/",
    "x.",
    "$(id)",
    "`id`",
    "a;b",
    "a|b",
    "é",
    "ѕhip/x",
    "ｆｉｘ",
    "a\u200bb",
    "x".repeat(201),
  ),
);
const modelArb = fc.oneof(
  fc.constantFrom("openai/gpt-5", "anthropic/claude-sonnet-4-5", "sim/write-readme", "claude"),
  fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,8}\/[A-Za-z0-9][A-Za-z0-9._:/-]{0,12}$/),
  fc.string({ maxLength: 12 }),
);

/** Words a task is made of, and tokens that stress the grammar. */
const word = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.constantFrom(
      "add",
      "a",
      "README",
      "fix",
      "the",
      "login",
      "timeout",
      "flag",
      "--verbose",
      "docs",
      "ß",
      "İstanbul",
      "ﬁle",
      "①",
      "😀",
      "e\u0301",
      "日本語",
    ),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      "/ship",
      "/shipit",
      "/ship-it",
      "/ships",
      "help",
      "status",
      "cancel",
      "retry",
      "ready",
      "HELP",
      "--model",
      "--branch",
      "--branch=",
      "--model=",
      "--",
      "---",
      "--fast",
      "`",
      "```",
      "~~~",
      ">",
      "<!--",
      "-->",
      "$(id)",
      ";",
      "\t",
      "\u00a0",
    ),
  },
  { weight: 1, arbitrary: branchArb },
  { weight: 1, arbitrary: modelArb },
  { weight: 1, arbitrary: hiddenChar },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 4 }) },
);
const words = (max: number) =>
  fc
    .array(fc.tuple(word, fc.constantFrom(" ", " ", "  ", "\t", "")), { maxLength: max })
    .map((parts) => parts.map(([w, s]) => w + s).join(""));

const option = fc.oneof(
  branchArb.map((b) => `--branch ${b}`),
  branchArb.map((b) => `--branch=${b}`),
  modelArb.map((m) => `--model ${m}`),
  modelArb.map((m) => `--model=${m}`),
  fc.constantFrom("--branch", "--model", "--fast", "--branch\nfix/x", "--x=1"),
);

/** A `/ship` line as people (and attackers) write them. */
const shipLine = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(
        fc.constantFrom("", " ", "   ", "    ", "\t", "\u00a0"),
        fc.constantFrom(
          "/ship",
          "/ship",
          "/ship",
          "/\u200bship",
          "/shi\u202ep",
          "/Ship",
          "/shipit",
        ),
        fc.constantFrom(" ", " ", "\t", "", "\u00a0", "\u2003"),
        fc.array(option, { maxLength: 3 }),
        words(8),
      )
      .map(
        ([lead, trigger, sep, options, task]) =>
          `${lead}${trigger}${sep}${[...options, task].join(" ")}`,
      ),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(
        fc.mixedCase(fc.constantFrom(...subcommands, "")),
        fc.constantFrom("", " ", "  ", "\t", "\u200b"),
        fc.constantFrom("", "", "x", " now", "\nplease"),
      )
      .map(([sub, space, more]) => `/ship ${sub}${space}${more}`),
  },
);

const fenceLine = fc
  .tuple(
    fc.constantFrom("", " ", "   ", "    ", "\t"),
    fenceChar,
    fc.integer({ min: 2, max: 5 }),
    fc.constantFrom("", "js", " md", "```", "~~~ x", " "),
  )
  .map(([lead, ch, n, info]) => `${lead}${ch.repeat(n)}${info}`);
const quoteLine = fc
  .tuple(fc.constantFrom(">", "> ", "  > ", ">>", "> > "), fc.oneof(shipLine, words(5)))
  .map(([q, rest]) => q + rest);
const htmlBit = fc.constantFrom("<!--", "-->", "<!-- ", " -->", "<!-->", "<!--->", "<!-- x -->");

/** Any line at all. */
const anyLine = fc.oneof(
  { weight: 4, arbitrary: shipLine },
  { weight: 2, arbitrary: fenceLine },
  { weight: 2, arbitrary: quoteLine },
  { weight: 4, arbitrary: words(10) },
  { weight: 2, arbitrary: fc.tuple(htmlBit, words(4)).map(([h, w]) => h + w) },
  { weight: 1, arbitrary: fc.constant("") },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 30 }) },
);

const joinLines = (lines: fc.Arbitrary<string[]>) =>
  fc.tuple(lines, fc.array(newline, { minLength: 64, maxLength: 64 })).map(([ls, nls]) =>
    ls.reduce((acc, l, i) => {
      if (i === 0) return l;
      const nl = nls[i % 64] as string;
      // "\r" then "\n" would be one CRLF line break, not two.
      return acc + (acc.endsWith("\r") && nl.startsWith("\n") ? "\r" : nl) + l;
    }, ""),
  );

/** A comment made of anything: every line may be a trigger, a fence, a quote, a comment. */
const anyComment = joinLines(fc.array(anyLine, { maxLength: 12 }));

/**
 * Inserts hidden characters at code-point boundaries, except inside `<!--` and `-->`
 * (a character there turns the marker into text a person sees as `<!--`) and on fence
 * lines (one there makes a fence text, or text a fence, for the reader as for Ship).
 */
function sprinkle(body: string, inserts: Array<[number, string]>): string {
  if (inserts.length === 0) return body;
  const forbidden = new Set<number>();
  const lineBreak = /\r\n|\r|\n/g;
  for (let start = 0; start <= body.length; ) {
    lineBreak.lastIndex = start;
    const next = lineBreak.exec(body);
    const end = next ? next.index : body.length;
    if (/^\s*(?:(?:[-*+]|\d{1,9}[.)])\s+)*(`{3,}|~{3,})/.test(body.slice(start, end))) {
      for (let k = start; k <= end; k++) forbidden.add(k);
    }
    if (!next) break;
    start = next.index + next[0].length;
  }
  for (const [marker, inner] of [
    ["<!--", 3],
    ["-->", 2],
  ] as const) {
    for (let j = body.indexOf(marker); j >= 0; j = body.indexOf(marker, j + 1)) {
      for (let k = 1; k <= inner; k++) forbidden.add(j + k);
    }
  }
  const at = new Map<number, string>();
  for (const [position, char] of inserts) {
    const i = position % (body.length + 1);
    const splitsPair =
      i > 0 &&
      i < body.length &&
      /[\ud800-\udbff]/.test(body[i - 1] as string) &&
      /[\udc00-\udfff]/.test(body[i] as string);
    if (!forbidden.has(i) && !splitsPair) at.set(i, (at.get(i) ?? "") + char);
  }
  let out = "";
  for (let i = 0; i <= body.length; i++) out += (at.get(i) ?? "") + (body[i] ?? "");
  return out;
}
const inserts = fc.array(fc.tuple(fc.nat(), hiddenChar), { maxLength: 12 });

// ---- What a person does not see as a command: fenced code, quotes, HTML comments. ----

/** A line inside a code block: anything but a line Ship (or CommonMark) could read as a fence. */
const codeLine = (ch: string, n: number) =>
  fc
    .oneof(
      shipLine,
      words(8),
      fc.constantFrom("> /ship add a README", "/ship", "/ship help", "/ship --branch x y"),
      // Shorter runs of the same character and the other fence character stay code.
      fc.constant(ch.repeat(Math.max(0, n - 1))),
      fc.constant((ch === "`" ? "~" : "`").repeat(n)),
    )
    .filter((l) => !/<!--|-->|\r|\n/.test(l) && !isFenceOf(l, ch, n));
function isFenceOf(line: string, ch: string, n: number): boolean {
  const visible = line.replace(new RegExp(invisible.source, "gu"), "");
  const m = /^ {0,3}(`{3,}|~{3,})/.exec(visible);
  return m?.[1] !== undefined && m[1][0] === ch && m[1].length >= n;
}
/** A fenced code block holding /ship lines; `open` leaves it unterminated. */
const fencedBlock = (open: boolean) =>
  fc
    .tuple(fenceChar, fc.integer({ min: 3, max: 5 }), indent, indent, fc.constantFrom("", " "))
    .chain(([ch, n, openIndent, closeIndent, trailing]) =>
      fc
        .tuple(
          fc.constantFrom("", "js", "md", " sh", "diff"),
          fc.array(codeLine(ch, n), { minLength: 1, maxLength: 5 }),
          fc.integer({ min: 0, max: 2 }),
        )
        .map(([info, body, extra]) => [
          `${openIndent}${ch.repeat(n)}${info}`,
          ...body,
          ...(open ? [] : [`${closeIndent}${ch.repeat(n + extra)}${trailing}`]),
        ]),
    );
const quoteBlock = fc
  .array(
    fc
      .tuple(fc.constantFrom(">", "> ", "  > ", ">>", "   >"), fc.oneof(shipLine, words(5)))
      .map(([q, rest]) => q + rest)
      .filter((l) => !/<!--|-->|\r|\n/.test(l)),
    { minLength: 1, maxLength: 3 },
  )
  // A blank line ends the quote: a line right after a quote continues it in Markdown
  // (lazily), which Ship does not follow (see "known gaps" below).
  .map((lines) => [...lines, ""]);
const commentText = fc
  .array(fc.oneof(shipLine, words(5), fenceLine, fc.constant("")), { maxLength: 4 })
  .map((ls) => ls.join("\n"))
  .filter((t) => !t.includes("-->") && !t.endsWith("-") && !t.endsWith("<!-"));
const htmlCommentBlock = (open: boolean) =>
  fc
    .tuple(fc.constantFrom("", "text before "), commentText)
    .map(([before, text]) => [`${before}<!--${text}${open ? "" : "-->"}`]);
/** Lines that mention /ship without starting with it. */
const notATrigger = fc
  .tuple(
    fc.constantFrom(
      "/shipit",
      "/ship-it now",
      "/ships add a README",
      "/ship.",
      "/ship,",
      "ship add a README",
      "please /ship add a README",
      "`/ship add a README`",
      "- /ship add a README",
      "1. /ship add a README",
      "/ship\u200bit",
      "/shi p add",
    ),
    indent,
  )
  .map(([l, lead]) => [lead + l]);
/** Visible text that is neither a trigger, a fence nor a comment marker. */
const plainLine = words(6)
  .filter((l) => {
    const visible = l.replace(new RegExp(invisible.source, "gu"), "");
    return (
      !/^\s*\/ship(\s|$)/i.test(visible) &&
      !/^ {0,3}(`{3,}|~{3,})/.test(visible) &&
      !/<!--|-->|\r|\n/.test(l)
    );
  })
  .map((l) => [l]);
const hiddenBlocks = fc.array(
  fc.oneof(
    { weight: 3, arbitrary: fencedBlock(false) },
    { weight: 2, arbitrary: quoteBlock },
    { weight: 2, arbitrary: htmlCommentBlock(false) },
    { weight: 2, arbitrary: notATrigger },
    { weight: 2, arbitrary: plainLine },
    { weight: 1, arbitrary: fc.constant([""]) },
  ),
  { maxLength: 6 },
);
/** A comment in which every /ship is hidden from a reader (or is not a command). */
const hiddenOnlyComment = fc
  .tuple(
    hiddenBlocks,
    fc.oneof(
      fc.constant<string[]>([]),
      fencedBlock(true),
      htmlCommentBlock(true),
      // Everything after an unterminated fence or comment is hidden, triggers included.
      fc
        .tuple(
          fc.constantFrom("```", "~~~", "````md", "<!--", "<!-- "),
          fc.array(
            // Nothing that would end the fence or the comment early.
            shipLine.filter(
              (l) => !/<!--|-->|\r|\n/.test(l) && !isFenceOf(l, "`", 3) && !isFenceOf(l, "~", 3),
            ),
            { minLength: 1, maxLength: 3 },
          ),
        )
        .map(([opener, after]) =>
          opener.startsWith("<") ? [`${opener}${after.join("\n")}`] : [opener, ...after],
        ),
    ),
    inserts,
  )
  .chain(([blocks, last, ins]) =>
    joinLines(fc.constant([...blocks.flat(), ...last])).map((body) => sprinkle(body, ins)),
  );

// ---- A visible command after hidden content. ----

const taskWord = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9.,'()-]{0,9}$/),
  fc.constantFrom("README", "café", "ß", "日本語", "😀", "`code`", "a/b"),
);
const taskLine = fc.array(taskWord, { minLength: 1, maxLength: 6 }).map((ws) => ws.join(" "));
const visibleCommand = fc
  .tuple(
    hiddenBlocks,
    indent,
    fc.constantFrom(" ", "  ", "\t", "\u00a0"),
    fc.option(branchArb, { nil: undefined, freq: 2 }),
    taskLine,
    fc.array(fc.oneof(taskLine, fc.constant("")), { maxLength: 3 }),
    inserts,
  )
  .filter(
    ([, , , , first]) =>
      !(subcommands as readonly string[]).includes(first.split(" ")[0]?.toLowerCase() ?? ""),
  )
  .chain(([blocks, lead, sep, branch, first, more, ins]) => {
    const opt = branch === undefined ? "" : `--branch ${branch} `;
    return joinLines(
      fc.constant([...blocks.flat(), `${lead}/ship${sep}${opt}${first}`, ...more]),
    ).map((body) => ({
      body: sprinkle(body, ins),
      branch: branch?.replace(new RegExp(invisible.source, "gu"), ""),
      task: [first, ...more].join("\n").trim(),
    }));
  });

// ---- Big comments. ----

const bigComment = fc
  .tuple(fc.array(anyLine, { minLength: 8, maxLength: 30 }), newline, inserts)
  .map(([lines, nl, ins]) => {
    const chunk = sprinkle(lines.join(nl) + nl, ins);
    return chunk.repeat(Math.ceil(65_600 / Math.max(chunk.length, 1)));
  });
/** Worst cases for the regular expressions and loops, each about 65 KB. */
const hostileBigComments = [
  "<!--".repeat(16_384),
  "<!-- x".repeat(10_923),
  `${"```\n".repeat(16_384)}/ship add a README`,
  `${" ".repeat(65_536)}/ship add a README`,
  `${"\u200b".repeat(65_536)}/ship add a README`,
  `/ship ${"--model ".repeat(8_192)}`,
  `/ship --branch ${"a".repeat(65_536)} add a README`,
  `/ship --${"x".repeat(65_536)}`,
  `/ship ${"\t \n".repeat(21_845)}x`,
  `/ship --model${" ".repeat(65_536)}`,
  `${"> /ship x\n".repeat(6_554)}/ship add a README`,
];

// ---------------------------------------------------------------------------------------

const kinds = new Set(["task", "invalid", ...subcommands]);
/** Branch names to show git at the end (from --branch and from branchNameFor). */
const branchesSeen = { option: new Set<string>(), derived: new Set<string>() };
let comments = 0;
const answers = new Map<string, number>();

/** Prefixes a repository may set that make sense as the start of a branch name. */
const prefixArb = fc
  .oneof(
    fc.constantFrom("ship/", "bot/", "ai/ship-", "ship-", "x", "Ship_", "team.a/"),
    fc
      .tuple(
        fc.array(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,8}$/), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.constantFrom("/", "-", "_", ""),
      )
      .map(([parts, end]) => parts.join("/") + end),
  )
  // What `.github/ship.yml` accepts, that can start a valid name.
  .filter((p) => repoConfigSchema.safeParse({ branchPrefix: p }).success)
  .filter((p) => isValidBranchName(`${p}x`));
const threadNumber = fc.integer({ min: 1, max: 2 ** 31 - 1 });

/** The branch a run would push to, and that it is one git and a shell are happy with. */
function expectUsableBranch(name: string, source: "option" | "derived"): void {
  const ok =
    isValidBranchName(name) && shellSafe.test(name) && !name.startsWith("-") && name.length <= 200;
  if (!ok) throw new Error(`unusable branch name ${JSON.stringify(name)} (${source})`);
  const seen = branchesSeen[source];
  if (seen.size < 5_000) seen.add(name);
}

/** Whatever the comment, the answer is well formed. Throws (for fast-check) if not. */
function check(body: string, prefix: string, thread: number): ShipCommand | undefined {
  comments++;
  const command = parseShipCommand(body);
  const kind = command?.kind ?? "not addressed";
  answers.set(kind, (answers.get(kind) ?? 0) + 1);
  if (command === undefined) return command;
  const fail = (why: string) => {
    throw new Error(`${why}: ${JSON.stringify(command)}`);
  };
  if (!kinds.has(command.kind)) fail("unknown kind");
  if (command.kind === "invalid" && !command.problem) fail("invalid without a problem");
  if (command.kind !== "task") return command;
  const { task, options } = command;
  if (task === "" || task !== task.trim()) fail("task empty or not trimmed");
  if (invisible.test(task)) fail("hidden character in the task");
  if (task.includes("\r")) fail("carriage return in the task");
  if (task.startsWith("--")) fail("task starts with an option");
  if (Object.keys(options).some((k) => k !== "model" && k !== "branch" && k !== "new")) {
    fail("unknown option");
  }
  if (options.model !== undefined && !modelIdPattern.test(options.model)) fail("bad model");
  if ((subcommands as readonly string[]).includes(task.split(/\s/)[0]?.toLowerCase() ?? "")) {
    fail("a subcommand word read as a task");
  }
  if (options.branch !== undefined) expectUsableBranch(options.branch, "option");
  // What the run pipeline does: the --branch, else one made from the task.
  expectUsableBranch(options.branch ?? branchNameFor(task, thread, prefix), "derived");
  return command;
}

describe("Parser fuzz", () => {
  const started = Date.now();
  const timings: string[] = [];
  const timed = (name: string, fn: () => void) => {
    const t0 = Date.now();
    answers.clear();
    fn();
    timings.push(`${name}: ${Date.now() - t0} ms ${JSON.stringify(Object.fromEntries(answers))}`);
  };
  afterAll(() => {
    console.log(
      `parser fuzz: ${comments} comments, ${branchesSeen.option.size} distinct --branch values, ` +
        `${branchesSeen.derived.size} distinct derived branches, total ${Date.now() - started} ms\n` +
        timings.join("\n"),
    );
  });

  it("never throws on any comment, and answers well formed commands", () => {
    timed("any comment (49,984)", () =>
      fc.assert(
        fc.property(anyComment, inserts, prefixArb, threadNumber, (body, ins, prefix, n) => {
          check(sprinkle(body, ins), prefix, n);
        }),
        { numRuns: 100_000 - 20_000 - 20_000 - 10_000 - 5 - hostileBigComments.length },
      ),
    );
  });

  it("never reads a /ship inside code, a quote or an HTML comment as a command", () => {
    timed("hidden only (20,000)", () =>
      fc.assert(
        fc.property(hiddenOnlyComment, prefixArb, threadNumber, (body, prefix, n) => {
          expect(check(body, prefix, n)).toBeUndefined();
        }),
        { numRuns: 20_000 },
      ),
    );
  });

  it("reads the first visible /ship line, whatever hidden text comes before it", () => {
    timed("visible after hidden (20,000)", () =>
      fc.assert(
        fc.property(
          visibleCommand,
          prefixArb,
          threadNumber,
          ({ body, branch, task }, prefix, n) => {
            const command = check(body, prefix, n);
            if (branch === undefined) {
              expect(command).toEqual({ kind: "task", task, options: {} });
            } else if (isValidBranchName(branch)) {
              expect(command).toEqual({ kind: "task", task, options: { branch } });
            } else {
              expect(command).toMatchObject({ kind: "invalid" });
            }
          },
        ),
        { numRuns: 20_000 },
      ),
    );
  });

  it("is blind to invisible characters (zero-width, bidi, ...) outside comment markers", () => {
    timed("hidden characters change nothing (10,000)", () =>
      fc.assert(
        fc.property(anyComment, inserts, prefixArb, threadNumber, (body, ins, prefix, n) => {
          const plain = check(body, prefix, n);
          expect(check(sprinkle(body, ins), prefix, n)).toEqual(plain);
        }),
        // Two comments a run: 5,000 runs.
        { numRuns: 5_000 },
      ),
    );
  });

  it("copes with 65 KB comments", () => {
    timed(`65 KB comments (${5 + hostileBigComments.length})`, () => {
      const parse = (body: string, prefix: string, n: number) => {
        expect(body.length).toBeGreaterThanOrEqual(65_536);
        const t0 = performance.now();
        check(body, prefix, n);
        return performance.now() - t0;
      };
      fc.assert(
        fc.property(bigComment, prefixArb, threadNumber, (body, prefix, n) => {
          expect(parse(body, prefix, n)).toBeLessThan(1_000);
        }),
        { numRuns: 5 },
      );
      for (const body of hostileBigComments) {
        expect([body.slice(0, 20), parse(body, "ship/", 1) < 1_000]).toEqual([
          body.slice(0, 20),
          true,
        ]);
      }
    });
  });

  it("derives a valid, shell-safe branch from any task, prefix and thread number", () => {
    const task = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 80 }),
      fc.string({ unit: "binary", maxLength: 40 }),
      words(12),
      fc.constantFrom(
        "",
        "   ",
        "!!!",
        "日本語",
        "😀😀",
        "ﬁ ß İ ①",
        "$(rm -rf /)",
        "-rf",
        "..",
        "a".repeat(500),
      ),
    );
    timed("branchNameFor (20,000)", () =>
      fc.assert(
        fc.property(task, prefixArb, threadNumber, (t, prefix, n) => {
          const name = branchNameFor(t, n, prefix);
          expectUsableBranch(name, "derived");
          expect(name.startsWith(prefix)).toBe(true);
          expect(name.endsWith(`-${n}`)).toBe(true);
        }),
        { numRuns: 20_000 },
      ),
    );
  });

  it("proposes only branch names git accepts (a sample of 200, asked of git)", async () => {
    expect(comments).toBe(100_000);
    const spread = (names: Set<string>, k: number) => {
      const all = [...names];
      const step = Math.max(1, Math.floor(all.length / k));
      return all.filter((_, i) => i % step === 0).slice(0, k);
    };
    const fromOptions = spread(branchesSeen.option, 100);
    const sample = [...fromOptions, ...spread(branchesSeen.derived, 200 - fromOptions.length)];
    expect(fromOptions.length).toBeGreaterThanOrEqual(50);
    expect(sample.length).toBe(200);
    const refused: string[] = [];
    for (let i = 0; i < sample.length; i += 8) {
      const batch = sample.slice(i, i + 8);
      const verdicts = await Promise.all(batch.map(gitAccepts));
      batch.forEach((name, j) => {
        if (!verdicts[j]) refused.push(name);
      });
    }
    expect(refused).toEqual([]);
  });
});

/**
 * Where Ship and a reader disagreed (CommonMark, as GitHub renders comments): Ship read
 * a /ship that the reader saw inside code, or proposed a branch git refuses. Each
 * was a bug the fuzz found, now fixed; these keep it fixed.
 */
describe("Parser fuzz: where Ship and a reader disagreed", () => {
  it.each([
    ["a closing fence with an info string", "```\n```js\n/ship add a README\n```"],
    ["a closing fence followed by a hidden character", "```\n```\u200b\n/ship add a README\n```"],
    ["an HTML comment marker inside code", "`<!--`\n```html\n-->\n/ship add a README\n```"],
    ["a fenced block inside a list item", "- ```\n  /ship add a README\n  ```"],
    ["an indented code block", "Example:\n\n    /ship add a README"],
  ])("does not read a /ship inside code: %s", (_, body) => {
    expect(parseShipCommand(body)).toBeUndefined();
  });

  it.each(["-", ".", "a..", "x.lock/", "/", "a//", "ship/."])(
    "proposes a valid branch for every prefix .github/ship.yml accepts: %j",
    (prefix) => {
      const accepted = repoConfigSchema.safeParse({ branchPrefix: prefix }).success;
      expect(!accepted || isValidBranchName(branchNameFor("add a README", 12, prefix))).toBe(true);
    },
  );
});
