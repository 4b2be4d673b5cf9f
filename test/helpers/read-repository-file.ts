import { Octokit } from "@octokit/rest";
import type { TestShip } from "./start-test-ship.js";

/** A file of the sample repository at `ref`, read through the GitHub API as a writer would. */
export async function readRepositoryFile(t: TestShip, path: string, ref: string): Promise<string> {
  const [owner, repo] = t.world.sample.repository.split("/") as [string, string];
  const octokit = new Octokit({
    baseUrl: t.world.github.apiUrl,
    auth: t.world.sample.writer.token,
  });
  const { data } = await octokit.rest.repos.getContent({ owner, repo, path, ref });
  return Buffer.from((data as { content: string }).content, "base64").toString();
}
