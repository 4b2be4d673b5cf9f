import { execFile } from "node:child_process";
import { shellCommand } from "../../src/git/shell-command.js";

describe("shellCommand", () => {
  it("passes every word to bash unchanged, shell syntax included", async () => {
    const words = ["it's", '"quoted"', "$(touch pwned)", "`id`", "a\nb\tc", "", "-n", "*"];
    const script = shellCommand(["printf", "%s\\0", ...words]);
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile("bash", ["-c", script], { cwd: "/", encoding: "utf8" }, (error, out) =>
        error ? reject(error) : resolve(out),
      ),
    );
    expect(stdout.split("\0").slice(0, -1)).toEqual(words);
  });

  it("refuses NUL, which no shell argument can carry", () => {
    expect(() => shellCommand(["a\0b"])).toThrow(/NUL/);
  });
});
