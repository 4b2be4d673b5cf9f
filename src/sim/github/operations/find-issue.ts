import { HttpError } from "../http/http-error.js";
import type { IssueRecord, RepositoryRecord } from "../records.js";
import type { Sim } from "../sim.js";

/** An issue (or pull request's issue) by number, or GitHub's 404. */
export function findIssue(
  sim: Sim,
  repository: RepositoryRecord,
  number: string | number,
): IssueRecord {
  const issue = sim.state.issue(repository.id, Number(number));
  if (!issue) throw new HttpError(404, "Not Found");
  return issue;
}
