import type { TestShip } from "./start-test-ship.js";

/**
 * A person comments on a fresh issue of the sample repository (or of `repository`), as
 * they would on GitHub (the fake sends Ship the webhook). A fresh issue keeps tests'
 * runs apart.
 */
export function askShip(
  t: TestShip,
  body: string,
  author = t.world.sample.writer.login,
  repository = t.world.sample.repository,
) {
  const issue = t.world.github.createIssue({
    repository,
    author,
    title: "Add a README",
    body: "Please.",
  });
  const comment = t.world.github.createIssueComment({
    repository,
    issueNumber: issue.number,
    author,
    body,
  });
  return { issue, comment };
}
