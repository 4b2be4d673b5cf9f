import type { Sandbox } from "e2b";
import { runCommand } from "../sandbox/run-command.js";
import { shellCommand } from "./shell-command.js";

/**
 * Clones the repository's default branch into `dir` inside the sandbox with a
 * read-only token. The token travels in environment variables of the git process
 * (`GIT_CONFIG_*` -> http.extraHeader), never in the URL, the command line or
 * `.git/config`, so nothing the agent runs later finds it on disk or in `ps`.
 * Returns the commit the clone is at.
 */
export async function cloneInSandbox(params: {
  sandbox: Sandbox;
  githubUrl: string;
  repository: string;
  branch: string;
  token: string;
  dir: string;
}): Promise<string> {
  const { sandbox, dir } = params;
  const basic = Buffer.from(`x-access-token:${params.token}`).toString("base64");
  // One round trip: the clone, then the commit it is at.
  const clone = shellCommand([
    "git",
    "clone",
    "--single-branch",
    "--no-tags",
    "--branch",
    params.branch,
    `${params.githubUrl}/${params.repository}.git`,
    dir,
  ]);
  return (
    await runCommand(
      sandbox,
      ["bash", "-c", `${clone} && ${shellCommand(["git", "-C", dir, "rev-parse", "HEAD"])}`],
      {
        category: "clone",
        doing: `clone ${params.repository}`,
        envs: {
          GIT_CONFIG_COUNT: "1",
          GIT_CONFIG_KEY_0: "http.extraHeader",
          GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
        },
        timeoutMs: 600_000,
        whatToDo:
          "Check that Ship is still installed on the repository, then comment `/ship retry`.",
      },
    )
  ).trim();
}
