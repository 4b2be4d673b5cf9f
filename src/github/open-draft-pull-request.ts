import { createOnce } from "./create-once.js";
import type { GitHubClient } from "./github-client.js";

/**
 * Opens the run's draft pull request from `head` into `base`, or finds the one already
 * open for that branch (a resumed run must not open a second, nor a create whose
 * answer was lost: see `createOnce`).
 */
export async function openDraftPullRequest(params: {
  octokit: GitHubClient;
  owner: string;
  repo: string;
  head: string;
  base: string;
  title: string;
  body: string;
  draft: boolean;
}): Promise<{ number: number; url: string }> {
  const { octokit, owner, repo, head, base } = params;
  const findOpen = async () => {
    const { data } = await octokit.rest.pulls.list({
      owner,
      repo,
      head: `${owner}:${head}`,
      state: "open",
    });
    const open = data[0];
    return open ? { number: open.number, url: open.html_url } : undefined;
  };
  return (
    (await findOpen()) ??
    createOnce({
      create: async (request) => {
        const { data } = await octokit.rest.pulls.create({
          owner,
          repo,
          head,
          base,
          title: params.title,
          body: params.body,
          draft: params.draft,
          request,
        });
        return { number: data.number, url: data.html_url };
      },
      find: findOpen,
    })
  );
}
