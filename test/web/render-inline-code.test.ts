import { describe, expect, it } from "@jest/globals";
import { renderInlineCode } from "../../src/web/render-inline-code.js";

describe("renderInlineCode", () => {
  it("escapes text without code spans", () => {
    expect(renderInlineCode(`a < b && c > "d" 'e'`)).toBe(
      "a &#60; b &#38;&#38; c &#62; &#34;d&#34; &#39;e&#39;",
    );
    expect(renderInlineCode("")).toBe("");
  });

  it("turns code spans into <code>, escaping their content", () => {
    expect(renderInlineCode("Writing `README.md`")).toBe("Writing <code>README.md</code>");
    expect(renderInlineCode("`a` and `b`")).toBe("<code>a</code> and <code>b</code>");
    expect(renderInlineCode('Searching for `<div class="x">`')).toBe(
      "Searching for <code>&#60;div class=&#34;x&#34;&#62;</code>",
    );
  });

  it("keeps backticks inside a longer fence, and drops the padding around them", () => {
    expect(renderInlineCode("Running ``echo `date` ls``")).toBe(
      "Running <code>echo `date` ls</code>",
    );
    expect(renderInlineCode("``a`b``")).toBe("<code>a`b</code>");
    expect(renderInlineCode("`` `x` ``")).toBe("<code>`x`</code>");
  });

  it("leaves unmatched backticks alone", () => {
    expect(renderInlineCode("a ` b")).toBe("a ` b");
    expect(renderInlineCode("it`s")).toBe("it`s");
    expect(renderInlineCode("`")).toBe("`");
    expect(renderInlineCode("<`")).toBe("&#60;`");
  });

  it("pairs only fences of the same length, as Markdown does", () => {
    expect(renderInlineCode("`a``")).toBe("`a``");
    expect(renderInlineCode("``a`")).toBe("``a`");
    expect(renderInlineCode("```")).toBe("```");
    expect(renderInlineCode("x ``y` z``")).toBe("x <code>y` z</code>");
  });

  it("makes no markup of anything else", () => {
    expect(renderInlineCode("**bold** _it_ [link](https://x) <b>b</b>")).toBe(
      "**bold** _it_ [link](https://x) &#60;b&#62;b&#60;/b&#62;",
    );
  });
});
