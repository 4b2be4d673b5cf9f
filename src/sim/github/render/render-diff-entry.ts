import type { DiffFile } from "../git/diff-files.js";
import type { RepositoryRecord } from "../records.js";
import type { Sim } from "../sim.js";

/** A changed file as GitHub's `diff-entry`, its links at commit `at`. */
export function renderDiffEntry(
  sim: Sim,
  repository: RepositoryRecord,
  file: DiffFile,
  at: string,
): Record<string, unknown> {
  const fullName = sim.state.fullName(repository);
  const path = file.filename.split("/").map(encodeURIComponent).join("/");
  return {
    sha: file.sha,
    filename: file.filename,
    status: file.status,
    additions: file.additions,
    deletions: file.deletions,
    changes: file.additions + file.deletions,
    blob_url: `${sim.urls.web}/${fullName}/blob/${at}/${path}`,
    raw_url: `${sim.urls.web}/${fullName}/raw/${at}/${path}`,
    contents_url: `${sim.urls.api}/repos/${fullName}/contents/${path}?ref=${at}`,
    ...(file.patch === undefined ? {} : { patch: file.patch }),
    ...(file.previousFilename === undefined ? {} : { previous_filename: file.previousFilename }),
  };
}
