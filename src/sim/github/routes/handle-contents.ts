import { requireRepositoryAccess } from "../auth/require-repository-access.js";
import { runGit } from "../git/run-git.js";
import type { ApiHandler, ApiResponse, ApiRouter } from "../http/api-router.js";
import { HttpError } from "../http/http-error.js";
import type { RepositoryRecord } from "../records.js";
import type { Sim } from "../sim.js";

/**
 * `GET /repos/{owner}/{repo}/contents/{path}` read from git at `ref` (the default
 * branch by default): a file as base64 JSON, or raw with the raw media type (what
 * Probot's `context.config()` asks for), a directory as a list of entries. Both carry
 * `Last-Modified`: when the path last changed on that ref.
 */
export function handleContents(router: ApiRouter, sim: Sim): void {
  const { state } = sim;
  const home = sim.git.home;

  const getContent: ApiHandler = async ({
    actor,
    params,
    query,
    headers,
  }): Promise<ApiResponse> => {
    const repository = requireRepositoryAccess(sim, actor, params.owner ?? "", params.repo ?? "", {
      permission: "contents",
      level: "read",
      role: "read",
    });
    const filePath = (params["*"] ?? "").replace(/^\/+|\/+$/g, "");
    const ref = query.get("ref") ?? repository.defaultBranch;
    const listing = await runGit(["ls-tree", "-l", "-z", ref, "--", filePath || "."], {
      home,
      gitDir: repository.gitDir,
      allowExitCodes: [128],
    });
    if (listing.code !== 0) throw new HttpError(404, `No commit found for the ref ${ref}`);
    const entries = parseListing(listing.stdout.toString("utf8"));
    const exact = entries.find((entry) => entry.path === filePath);
    if (filePath && exact?.type === "blob") {
      const content = (
        await runGit(["cat-file", "blob", exact.sha], { home, gitDir: repository.gitDir })
      ).stdout;
      const lastModified = await lastChange(repository, ref, filePath);
      if (String(headers.accept ?? "").includes("raw")) {
        // As recorded from api.github.com: the blob's sha is the raw answer's etag.
        return {
          status: 200,
          raw: content,
          headers: {
            "content-type": "application/vnd.github.v3.raw; charset=utf-8",
            "x-github-media-type": "github.v3; param=raw",
            etag: `"${exact.sha}"`,
            "last-modified": lastModified,
          },
        };
      }
      return {
        status: 200,
        body: {
          ...describe(repository, exact, ref),
          content: (content.toString("base64").match(/.{1,60}/g) ?? []).join("\n"),
          encoding: "base64",
        },
        headers: { "last-modified": lastModified },
      };
    }
    // A directory: list what is inside it.
    const inside = exact
      ? parseListing(
          (
            await runGit(["ls-tree", "-l", "-z", ref, "--", `${filePath}/`], {
              home,
              gitDir: repository.gitDir,
            })
          ).stdout.toString("utf8"),
        )
      : filePath
        ? []
        : entries;
    if (inside.length === 0) throw new HttpError(404, "Not Found");
    return {
      status: 200,
      body: inside.map((entry) => describe(repository, entry, ref)),
      headers: { "last-modified": await lastChange(repository, ref, filePath) },
    };
  };

  /** When the path last changed on `ref`: GitHub's `Last-Modified` for contents. */
  async function lastChange(repository: RepositoryRecord, ref: string, filePath: string) {
    const { stdout } = await runGit(["log", "-1", "--format=%ct", ref, "--", filePath || "."], {
      home,
      gitDir: repository.gitDir,
    });
    return new Date(Number(stdout.toString("utf8").trim()) * 1000).toUTCString();
  }
  router.operation("repos/get-content", getContent);
  // The root directory: an empty `{path}` leaves no segment for the wildcard to match.
  router.route("GET", "/api/v3/repos/:owner/:repo/contents", getContent, {
    rateLimited: "core",
    docs: "https://docs.github.com/rest/repos/contents#get-repository-content",
  });

  function describe(repository: RepositoryRecord, entry: Entry, ref: string) {
    const fullName = state.fullName(repository);
    const type = entry.type === "tree" ? "dir" : entry.type === "commit" ? "submodule" : "file";
    const url = `${sim.urls.api}/repos/${fullName}/contents/${entry.path}?ref=${encodeURIComponent(ref)}`;
    const gitUrl = `${sim.urls.api}/repos/${fullName}/git/${entry.type === "tree" ? "trees" : "blobs"}/${entry.sha}`;
    const htmlUrl = `${sim.urls.web}/${fullName}/${type === "dir" ? "tree" : "blob"}/${ref}/${entry.path}`;
    return {
      type,
      size: entry.size,
      name: entry.path.split("/").pop() ?? entry.path,
      path: entry.path,
      sha: entry.sha,
      url,
      git_url: gitUrl,
      html_url: htmlUrl,
      download_url: type === "file" ? `${sim.urls.web}/${fullName}/raw/${ref}/${entry.path}` : null,
      _links: { self: url, git: gitUrl, html: htmlUrl },
    };
  }
}

interface Entry {
  mode: string;
  type: string;
  sha: string;
  size: number;
  path: string;
}

/** `git ls-tree -l -z` output: "<mode> <type> <sha> <size>\t<path>\0". */
function parseListing(text: string): Entry[] {
  return text
    .split("\0")
    .filter(Boolean)
    .map((line) => {
      const [meta = "", entryPath = ""] = line.split("\t");
      const [mode = "", type = "", sha = "", size = "0"] = meta.trim().split(/\s+/);
      return { mode, type, sha, size: Number(size) || 0, path: entryPath };
    });
}
