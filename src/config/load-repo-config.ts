import type { GitHubClient } from "../github/github-client.js";
import { describeConfigIssues } from "./describe-config-issues.js";
import { describeYamlError } from "./describe-yaml-error.js";
import { type RepoConfig, repoConfigSchema } from "./repo-config-schema.js";

export const repoConfigPath = ".github/ship.yml";

/**
 * The repository's Ship settings, or a problem to show the person who asked, with the
 * broken file's page on GitHub when Ship could find it.
 */
export type RepoConfigResult =
  | { ok: true; config: RepoConfig }
  | { ok: false; problem: string; fileUrl?: string };

/**
 * Reads `.github/ship.yml` from the default branch with Probot's config loader (which
 * falls back to the owner's `.github` repository and follows `_extends`). Settings are
 * taken only from repositories of the same owner: `setup:` commands, `instructions` and
 * `actAs` from someone else's public repository would be theirs to change at any time.
 * A missing file means defaults; a broken one gives a message that says where (line and
 * column of a YAML error) and every key that is wrong, with what was found and what is
 * expected, and links the file on its default branch.
 */
export async function loadRepoConfig(
  octokit: GitHubClient,
  owner: string,
  repo: string,
): Promise<RepoConfigResult> {
  let raw: Record<string, unknown>;
  let source: FileRef = { owner, repo, path: repoConfigPath };
  try {
    const loaded = await octokit.config.get({ owner, repo, path: repoConfigPath });
    const foreign = loaded.files.find(
      (file) => file.config !== null && file.owner.toLowerCase() !== owner.toLowerCase(),
    );
    if (foreign) {
      return {
        ok: false,
        problem: `\`${repoConfigPath}\` extends \`${foreign.owner}/${foreign.repo}\`, another owner's repository; Ship takes settings only from ${owner}'s own repositories. Copy the settings in, or extend a repository of ${owner}.`,
      };
    }
    raw = loaded.config;
    const first = loaded.files.find((file) => file.config !== null);
    if (first) source = { owner: first.owner, repo: first.repo, path: first.path };
  } catch (error) {
    const status = (error as { status?: number }).status;
    // GitHub trouble (a status, or no answer at all), not the file's fault.
    if (status !== undefined || !String((error as Error).message).startsWith("[@probot/")) {
      throw error;
    }
    // Probot's loader names the file only by its API URL, in a message for developers.
    const broken = fileOfApiUrl((error as Error).message) ?? source;
    const cause = (error as Error).cause;
    const problem = cause
      ? describeYamlError(nameOf(broken, owner, repo), cause)
      : `${nameOf(broken, owner, repo)} is not a list of settings (\`key: value\` lines).`;
    return withFileUrl(octokit, broken, problem);
  }
  const { _extends: _, ...settings } = raw;
  const parsed = repoConfigSchema.safeParse(settings);
  if (parsed.success) return { ok: true, config: parsed.data };
  const sentences = describeConfigIssues({
    issues: parsed.error.issues,
    settings,
    shape: repoConfigSchema.shape,
  });
  const name = nameOf(source, owner, repo);
  const problem =
    sentences.length === 1
      ? `In ${name}, ${sentences[0]}`
      : `${name} has ${sentences.length} problems:\n${sentences.map((s) => `- ${s}`).join("\n")}`;
  return withFileUrl(octokit, source, problem);
}

interface FileRef {
  owner: string;
  repo: string;
  path: string;
}

/** `…/repos/{owner}/{repo}/contents/{path}` in the loader's message, as a file. */
function fileOfApiUrl(message: string): FileRef | undefined {
  const match = /\/repos\/([^/\s]+)\/([^/\s]+)\/contents\/([^?\s]+)/.exec(message);
  if (!match) return undefined;
  const [, owner = "", repo = "", path = ""] = match;
  return { owner, repo, path: decodeURIComponent(path) };
}

/** The file in words: its path, and its repository when it is not the one asked about. */
function nameOf(file: FileRef, owner: string, repo: string): string {
  const here = file.owner.toLowerCase() === owner.toLowerCase() && file.repo === repo;
  return here ? `\`${file.path}\`` : `\`${file.owner}/${file.repo}\`'s \`${file.path}\``;
}

/**
 * The problem with the file's page on its default branch (from the repository's
 * `html_url`, so it is the web address people open, not the API's). Without GitHub's
 * answer the problem goes out as it is: the link helps, it is not needed.
 */
async function withFileUrl(
  octokit: GitHubClient,
  file: FileRef,
  problem: string,
): Promise<RepoConfigResult> {
  try {
    const { data } = await octokit.rest.repos.get({ owner: file.owner, repo: file.repo });
    const fileUrl = `${data.html_url}/blob/${encodeURI(data.default_branch)}/${encodeURI(file.path)}`;
    return { ok: false, problem, fileUrl };
  } catch {
    return { ok: false, problem };
  }
}
