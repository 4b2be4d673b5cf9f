import { branchNameFor } from "../../src/git/branch-name-for.js";

describe("branchNameFor", () => {
  it("slugs the task's first words and ends with the thread's number", () => {
    expect(branchNameFor("add a README", 12)).toBe("ship/add-a-readme-12");
    expect(branchNameFor("Fix the login timeout!", 3, "bot/")).toBe("bot/fix-the-login-timeout-3");
  });

  it("drops accents instead of breaking the word at them", () => {
    expect(branchNameFor("Ajoute un fichier LISEZMOI en français", 1)).toBe(
      "ship/ajoute-un-fichier-lisezmoi-en-francais-1",
    );
    expect(branchNameFor("Übersetze die Straßen-Änderung", 2)).toBe(
      "ship/ubersetze-die-strassen-anderung-2",
    );
    expect(branchNameFor("café crème", 4)).toBe("ship/cafe-creme-4");
    // Already decomposed input (a base letter and a combining mark) ends the same.
    expect(branchNameFor("franc\u0327ais", 5)).toBe("ship/francais-5");
  });

  it("reads like the issue when given the title of a labeled issue", () => {
    expect(branchNameFor("Add an MIT license", 13)).toBe("ship/add-an-mit-license-13");
  });

  it("falls back to `task` when nothing is left", () => {
    expect(branchNameFor("日本語のREADMEを追加", 7)).toBe("ship/readme-7");
    expect(branchNameFor("🚀✨", 8)).toBe("ship/task-8");
  });
});
