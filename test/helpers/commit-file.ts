import { Octokit } from "@octokit/rest";
import type { LocalWorld } from "../../src/sim/start-local-world.js";

/** Commits files to the sample repository's default branch, as the admin would push them. */
export async function commitFiles(
  world: LocalWorld,
  files: Record<string, string>,
  message = "Update",
): Promise<void> {
  const [owner, repo] = world.sample.repository.split("/") as [string, string];
  const octokit = new Octokit({
    baseUrl: world.github.apiUrl,
    auth: world.github.createPersonalToken(world.sample.installer),
  });
  const ref = await octokit.rest.git.getRef({ owner, repo, ref: "heads/main" });
  const parent = await octokit.rest.git.getCommit({ owner, repo, commit_sha: ref.data.object.sha });
  const tree = await octokit.rest.git.createTree({
    owner,
    repo,
    base_tree: parent.data.tree.sha,
    tree: Object.entries(files).map(([path, content]) => ({
      path,
      mode: "100644" as const,
      type: "blob" as const,
      content,
    })),
  });
  const commit = await octokit.rest.git.createCommit({
    owner,
    repo,
    message,
    tree: tree.data.sha,
    parents: [parent.data.sha],
  });
  await octokit.rest.git.updateRef({ owner, repo, ref: "heads/main", sha: commit.data.sha });
}
