import type { LocalWorld } from "../sim/start-local-world.js";

/** A `/ship` comment the bench posted, and when (`performance.now()`). */
export interface PostedRequest {
  issueNumber: number;
  commentId: number;
  postedAt: number;
}

/**
 * The sample collaborator opens a fresh issue titled `title` and comments
 * `/ship <task>` on it, as on GitHub: the fake sends Ship the webhook.
 */
export function askShipInWorld(world: LocalWorld, title: string, task: string): PostedRequest {
  const { repository, writer } = world.sample;
  const issue = world.github.createIssue({ repository, author: writer.login, title });
  const postedAt = performance.now();
  const comment = world.github.createIssueComment({
    repository,
    issueNumber: issue.number,
    author: writer.login,
    body: `/ship ${task}`,
  });
  return { issueNumber: issue.number, commentId: comment.id, postedAt };
}
