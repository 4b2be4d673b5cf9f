import { defangAgentText } from "../../src/report/defang-agent-text.js";
import { liveAgentText } from "../helpers/live-agent-text.js";

const markdown = { maxLength: 10_000 };
const onGitHub = { maxLength: 10_000, githubUrl: "https://github.com" };
/** What a reader sees: the joiners are invisible. */
const visible = (text: string) => text.replaceAll("\u200D", "");

describe("defangAgentText", () => {
  it("mentions no one, but keeps emails", () => {
    const out = defangAgentText(
      "cc @alice @org/team (@bob), @carol-2: mail me@example.com",
      markdown,
    );
    expect(liveAgentText(out)).toEqual([]);
    expect(visible(out)).toBe("cc @alice @org/team (@bob), @carol-2: mail me@example.com");
    expect(out).toContain("me@example.com");
    expect(defangAgentText("`@alice`", markdown)).not.toMatch(/@[a-z]/);
  });

  it.each([
    "Fixes #3",
    "fixes #3",
    "FIXED #3",
    "fix: #3",
    "Closes acme/widgets#3",
    "close #3",
    "closed  #3",
    "Resolves https://github.com/acme/widgets/issues/3",
    "resolve GH-3",
    "resolved:\n#3",
    "**Fixes** #3",
    "This fixes #3 and closes #4.",
    "(fixes #3)",
    "_fixes #3_",
  ])("closes no issue with %j", (text) => {
    const out = defangAgentText(text, onGitHub);
    expect(liveAgentText(out, "github.com")).toEqual([]);
    expect(visible(out).toLowerCase()).toContain(
      text
        .toLowerCase()
        .split(/[\s:*_]/)[0]
        ?.replace(/[(*_]/g, ""),
    );
  });

  it("leaves keywords that close nothing alone", () => {
    for (const text of [
      "Fix the tests",
      "prefixes #3",
      "fixtures #3",
      "Closing the loop",
      "#3 is fixed",
    ]) {
      expect(defangAgentText(text, markdown)).toBe(text);
    }
  });

  it("shows a markdown link or image to another host as code", () => {
    const out = defangAgentText("[re-authorize Ship](https://evil.example/x) now", onGitHub);
    expect(liveAgentText(out)).toEqual([]);
    expect(out).toMatch(/^`\[re-authorize Ship\]\u200D\(https:\u200D\/\/evil\.example\/x\)` now$/);
    for (const text of [
      "![pixel](https://evil.example/p.png)",
      '[x](https://evil.example "title")',
      "[x](<https://evil.example>)",
      "[x](//evil.example/x)",
      "[x](\\\\evil.example)",
      "[x](&#104;ttps://evil.example)",
      "[x](https://github.com@evil.example/)",
      "[x](https://github.com.evil.example/)",
      "[x](javascript:alert(1))",
      "[a [b] c](https://evil.example)",
    ]) {
      const defanged = defangAgentText(text, onGitHub);
      expect({ text, live: liveAgentText(defanged) }).toEqual({ text, live: [] });
    }
  });

  it("keeps links to the GitHub host live when it is given, and only then", () => {
    const link = "[the PR](https://github.com/acme/widgets/pull/1)";
    expect(defangAgentText(link, onGitHub)).toBe(link);
    expect(defangAgentText("see https://github.com/acme/widgets/pull/1.", onGitHub)).toBe(
      "see https://github.com/acme/widgets/pull/1.",
    );
    expect(liveAgentText(defangAgentText(link, markdown))).toEqual([]);
    const named = defangAgentText("[@alice](https://github.com/alice)", onGitHub);
    expect(liveAgentText(named, "github.com")).toEqual([]);
    expect(named).toBe("[@\u200Dalice](https://github.com/alice)");
  });

  it("shows bare URLs and autolinks to other hosts as code", () => {
    expect(defangAgentText("see https://evil.example/x.", markdown)).toBe(
      "see `https:\u200D//evil.example/x`.",
    );
    expect(defangAgentText("see www.evil.example", markdown)).toBe("see `www\u200D.evil.example`");
    for (const text of [
      "<https://evil.example/x>",
      "<mailto:a@evil.example>",
      "HTTP://EVIL.EXAMPLE",
      "ftp://evil.example/file",
      "xhttps://evil.example",
      "(https://evil.example/x)",
      "https://github.com.evil.example/x",
      "https://github.com@evil.example/x",
      "`https://evil.example` ``https://evil.example``",
    ]) {
      const out = defangAgentText(text, onGitHub);
      expect({ text, live: liveAgentText(out) }).toEqual({ text, live: [] });
    }
  });

  it("breaks raw HTML, character references and reference definitions", () => {
    for (const text of [
      '<a href="https://evil.example">re-authorize</a>',
      '<img src="https://evil.example/p.png">',
      "<a title=\"`\" href='//evil.example'>`x`</a>",
      "<details><summary>x</summary></details>",
      "<!-- hidden -->",
      "&#64;alice &#x40;team &commat;bob",
      "[re-authorize][1]\n\n[1]: https://evil.example",
      "> [1]: //evil.example",
    ]) {
      const out = defangAgentText(text, onGitHub);
      expect({ text, live: liveAgentText(out) }).toEqual({ text, live: [] });
      expect(visible(out).replace(/`/g, "")).toBe(text.replace(/`/g, ""));
    }
  });

  it("caps the length and says so", () => {
    const out = defangAgentText(`${"word ".repeat(5_000)}@alice`, { maxLength: 300 });
    expect(out.length).toBeLessThanOrEqual(300);
    expect(out.endsWith("… (cut)")).toBe(true);
    expect(defangAgentText("short", { maxLength: 300 })).toBe("short");
    // A defanged URL grows; the cap is on what is posted.
    const urls = defangAgentText("https://evil.example/ ".repeat(100), { maxLength: 500 });
    expect(urls.length).toBeLessThanOrEqual(500);
    expect(liveAgentText(urls)).toEqual([]);
    const emoji = defangAgentText("😀".repeat(100), { maxLength: 20 });
    expect(emoji.length).toBeLessThanOrEqual(20);
    expect(emoji).toMatch(/^(😀)+… \(cut\)$/);
  });

  it("folds lines when asked", () => {
    expect(defangAgentText("one\n\n- two\n</details>", { maxLength: 100, oneLine: true })).toBe(
      "one - two <\u200D/details>",
    );
  });

  it("in a commit message, changes mentions, keywords and URLs but keeps trailers", () => {
    const message =
      "Fix the README\n\nFixes #3 cc @alice, see https://evil.example/x <b>\n\nCo-authored-by: bob <7+bob@users.noreply.github.com>\n";
    const out = defangAgentText(message, { maxLength: 10_000, plain: true });
    expect(out).toContain("Co-authored-by: bob <7+bob@users.noreply.github.com>\n");
    expect(out).toContain("<b>");
    expect(out.startsWith("Fix the README\n\n")).toBe(true);
    expect(liveAgentText(out).filter((live) => !live.startsWith("<"))).toEqual([]);
  });

  it("changes nothing the second time", () => {
    const text =
      "[re-authorize Ship](https://evil.example/x) cc @alice @org/team\n\nFixes #3, see www.evil.example and <a href=x>, &#64;, [1]: y, https://github.com/a/b";
    for (const options of [markdown, onGitHub, { maxLength: 10_000, plain: true }]) {
      const once = defangAgentText(text, options);
      expect(defangAgentText(once, options)).toBe(once);
    }
    expect(defangAgentText("Add a README that explains widgets", markdown)).toBe(
      "Add a README that explains widgets",
    );
  });

  it("takes linear time on hostile input", () => {
    const inputs = [
      "a".repeat(100_000),
      "fixes ".repeat(20_000),
      `${"[".repeat(50_000)}${"](".repeat(25_000)}`,
      "@".repeat(100_000),
      `fixes ${"a".repeat(100_000)}`,
      "https://".repeat(10_000),
    ];
    for (const input of inputs) {
      const since = performance.now();
      defangAgentText(input, { maxLength: 200_000 });
      expect(performance.now() - since).toBeLessThan(500);
    }
  });
});
