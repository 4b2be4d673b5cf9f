import { randomBytes } from "node:crypto";
import { rm } from "node:fs/promises";
import path from "node:path";
import { actingAs } from "../auth/acting-as.js";
import type { Actor } from "../auth/actor.js";
import { requireRepositoryAccess } from "../auth/require-repository-access.js";
import { readCommit } from "../git/read-commit.js";
import { readRefs } from "../git/read-refs.js";
import { runGit } from "../git/run-git.js";
import type { ApiRouter } from "../http/api-router.js";
import { HttpError } from "../http/http-error.js";
import { handlePush } from "../operations/handle-push.js";
import type { RepositoryRecord } from "../records.js";
import { unsignedVerification } from "../render/unsigned-verification.js";
import type { Sim } from "../sim.js";

const SHA = /^[0-9a-f]{40}$/;

/**
 * The Git Data API, done with git plumbing on the bare repository: blobs, trees (on a
 * base tree, files added, changed or deleted by path), commits, and refs (create,
 * fast-forward or forced update, delete). Ref changes count as pushes: pull requests
 * whose head moved are synchronized. Writing needs contents write, as a git push does.
 * Creates answer 201 with `Location`, as GitHub's do.
 */
export function handleGitData(router: ApiRouter, sim: Sim): void {
  const { state } = sim;
  const home = sim.git.home;
  const access = (actor: Actor, params: Record<string, string>, level: "read" | "write") =>
    requireRepositoryAccess(sim, actor, params.owner ?? "", params.repo ?? "", {
      permission: "contents",
      level,
      role: level === "write" ? "write" : "read",
    });
  const git = (
    repository: RepositoryRecord,
    args: string[],
    input?: string | Buffer,
    env?: Record<string, string>,
  ) => runGit(args, { home, gitDir: repository.gitDir, input, env });
  const exists = async (repository: RepositoryRecord, sha: string, type: string) =>
    SHA.test(sha) &&
    (
      await runGit(["cat-file", "-t", sha], {
        home,
        gitDir: repository.gitDir,
        allowExitCodes: [128],
      })
    ).stdout
      .toString("utf8")
      .trim() === type;
  const apiBase = (repository: RepositoryRecord) =>
    `${sim.urls.api}/repos/${state.fullName(repository)}`;
  const invalid = (message: string) => new HttpError(422, message);

  router.operation("git/create-blob", async ({ actor, params, body }) => {
    const repository = access(actor, params, "write");
    if (typeof body.content !== "string") {
      throw new HttpError(422, 'Invalid request.\n\n"content" wasn\'t supplied.');
    }
    const encoding = body.encoding ?? "utf-8";
    if (encoding !== "utf-8" && encoding !== "base64") {
      throw invalid(`encoding must be "utf-8" or "base64"`);
    }
    const content = Buffer.from(body.content, encoding === "base64" ? "base64" : "utf8");
    const sha = (await git(repository, ["hash-object", "-w", "--stdin"], content)).stdout
      .toString("utf8")
      .trim();
    const url = `${apiBase(repository)}/git/blobs/${sha}`;
    return { status: 201, body: { url, sha }, headers: { location: url } };
  });

  router.operation("git/create-tree", async ({ actor, params, body }) => {
    const repository = access(actor, params, "write");
    if (!Array.isArray(body.tree))
      throw new HttpError(422, 'Invalid request.\n\n"tree" wasn\'t supplied.');
    const base = typeof body.base_tree === "string" ? body.base_tree : undefined;
    if (
      base &&
      !(await exists(repository, base, "tree")) &&
      !(await exists(repository, base, "commit"))
    ) {
      throw invalid("base_tree is not a valid tree oid");
    }
    // A throwaway index: read the base tree, apply the entries, write the tree.
    const index = path.join(home, `index-${randomBytes(6).toString("hex")}`);
    const env = { GIT_INDEX_FILE: index };
    try {
      await git(repository, base ? ["read-tree", base] : ["read-tree", "--empty"], undefined, env);
      const lines: string[] = [];
      for (const raw of body.tree as Array<Record<string, unknown>>) {
        const entryPath = typeof raw.path === "string" ? raw.path.replace(/^\/+/, "") : "";
        const mode = String(raw.mode ?? "100644");
        if (!entryPath) throw invalid("tree.path is required");
        if (entryPath.includes("\0")) throw invalid("tree.path must not contain NUL");
        if (!["100644", "100755", "120000"].includes(mode) || (raw.type ?? "blob") !== "blob") {
          throw invalid(`tree entries of mode ${mode} are not supported by the fake`);
        }
        if (raw.sha === null) {
          lines.push(`0 ${"0".repeat(40)}\t${entryPath}`);
          continue;
        }
        let sha = typeof raw.sha === "string" ? raw.sha : undefined;
        if (typeof raw.content === "string") {
          sha = (await git(repository, ["hash-object", "-w", "--stdin"], raw.content)).stdout
            .toString("utf8")
            .trim();
        }
        if (!sha || !(await exists(repository, sha, "blob"))) {
          throw invalid(`tree.sha ${String(raw.sha)} is not a valid blob`);
        }
        lines.push(`${mode} ${sha}\t${entryPath}`);
      }
      // NUL-separated (-z): a path may hold newlines, or start with a quote that git
      // would otherwise read as C-style quoting.
      await git(repository, ["update-index", "-z", "--index-info"], `${lines.join("\0")}\0`, env);
      const sha = (await git(repository, ["write-tree"], undefined, env)).stdout
        .toString("utf8")
        .trim();
      const listing = (await git(repository, ["ls-tree", "-z", "-l", sha])).stdout.toString("utf8");
      const tree = listing
        .split("\0")
        .filter(Boolean)
        .map((line) => {
          const tab = line.indexOf("\t");
          const meta = line.slice(0, tab);
          const name = line.slice(tab + 1); // names may hold tabs too
          const [entryMode = "", type = "", entrySha = "", size = "-"] = meta.split(/\s+/);
          return {
            path: name,
            mode: entryMode,
            type,
            sha: entrySha,
            ...(type === "blob" ? { size: Number(size) } : {}),
            url: `${apiBase(repository)}/git/${type === "tree" ? "trees" : "blobs"}/${entrySha}`,
          };
        });
      const url = `${apiBase(repository)}/git/trees/${sha}`;
      return {
        status: 201,
        body: { sha, url, tree, truncated: false },
        headers: { location: url },
      };
    } finally {
      await rm(index, { force: true });
    }
  });

  router.operation("git/create-commit", async ({ actor, params, body }) => {
    const repository = access(actor, params, "write");
    const { user } = actingAs(actor);
    if (typeof body.message !== "string") throw invalid("message is required");
    if (typeof body.tree !== "string" || !(await exists(repository, body.tree, "tree"))) {
      throw invalid("Tree SHA does not exist");
    }
    const parents = Array.isArray(body.parents) ? body.parents.map(String) : [];
    for (const parent of parents) {
      if (!(await exists(repository, parent, "commit")))
        throw invalid("Parent SHA does not exist or is not a commit object");
    }
    const signature = (value: unknown, prefix: "AUTHOR" | "COMMITTER") => {
      const given = (value ?? {}) as Record<string, unknown>;
      const date =
        typeof given.date === "string" ? given.date : new Date(sim.clock.now()).toISOString();
      return {
        [`GIT_${prefix}_NAME`]:
          typeof given.name === "string" ? given.name : (user.name ?? user.login),
        [`GIT_${prefix}_EMAIL`]:
          typeof given.email === "string"
            ? given.email
            : `${user.id}+${user.login}@users.noreply.github.com`,
        [`GIT_${prefix}_DATE`]: date,
      };
    };
    const env = {
      ...signature(body.author, "AUTHOR"),
      ...signature(body.committer ?? body.author, "COMMITTER"),
    };
    const args = ["commit-tree", body.tree, ...parents.flatMap((parent) => ["-p", parent])];
    const sha = (await git(repository, args, body.message, env)).stdout.toString("utf8").trim();
    const rendered = await renderCommit(repository, sha);
    return { status: 201, body: rendered, headers: { location: rendered.url } };
  });

  router.operation("git/get-commit", async ({ actor, params }) => {
    const repository = access(actor, params, "read");
    const sha = params.commit_sha ?? "";
    if (!(await exists(repository, sha, "commit"))) throw new HttpError(404, "Not Found");
    return { status: 200, body: await renderCommit(repository, sha) };
  });

  // Not in GitHub's description any more, but api.github.com still lists every ref here
  // (Octokit's recordings use it); `git/list-matching-refs` is its documented successor.
  router.route(
    "GET",
    "/api/v3/repos/:owner/:repo/git/refs",
    async ({ actor, params }) => {
      const repository = access(actor, params, "read");
      const refs = await readRefs(repository.gitDir);
      if (refs.size === 0) throw new HttpError(409, "Git Repository is empty.");
      const listed = [...refs]
        .filter(([ref]) => !ref.startsWith("refs/pull/"))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([ref, sha]) => renderRef(repository, ref, sha));
      // Refs change only by pushes.
      const lastModified = new Date(repository.pushedAt).toUTCString();
      return { status: 200, body: listed, headers: { "last-modified": lastModified } };
    },
    { rateLimited: "core", docs: "https://docs.github.com/rest/git/refs" },
  );

  router.operation("git/create-ref", async ({ actor, params, body }) => {
    const repository = access(actor, params, "write");
    const ref = typeof body.ref === "string" ? body.ref : "";
    if (!/^refs\/.+\/.+/.test(ref))
      throw invalid("Reference name must start with 'refs/' and have at least two slashes.");
    if (typeof body.sha !== "string" || !(await exists(repository, body.sha, "commit"))) {
      throw invalid("Object does not exist");
    }
    const before = await readRefs(repository.gitDir);
    if (before.has(ref)) throw invalid("Reference already exists");
    await git(repository, ["update-ref", ref, body.sha, "0".repeat(40)]);
    await afterRefChange(repository, before, actor);
    const rendered = renderRef(repository, ref, body.sha);
    return { status: 201, body: rendered, headers: { location: rendered.url } };
  });

  router.operation("git/update-ref", async ({ actor, params, body }) => {
    const repository = access(actor, params, "write");
    const ref = `refs/${params["*"] ?? ""}`;
    const before = await readRefs(repository.gitDir);
    const current = before.get(ref);
    if (!current) throw invalid("Reference does not exist");
    if (typeof body.sha !== "string" || !(await exists(repository, body.sha, "commit"))) {
      throw invalid("Object does not exist");
    }
    if (body.force !== true) {
      const fastForward = await runGit(["merge-base", "--is-ancestor", current, body.sha], {
        home,
        gitDir: repository.gitDir,
        allowExitCodes: [1],
      });
      if (fastForward.code !== 0) throw invalid("Update is not a fast forward");
    }
    await git(repository, ["update-ref", ref, body.sha, current]);
    await afterRefChange(repository, before, actor);
    return { status: 200, body: renderRef(repository, ref, body.sha) };
  });

  router.operation("git/delete-ref", async ({ actor, params }) => {
    const repository = access(actor, params, "write");
    const ref = `refs/${params["*"] ?? ""}`;
    const before = await readRefs(repository.gitDir);
    const current = before.get(ref);
    if (!current) throw invalid("Reference does not exist");
    await git(repository, ["update-ref", "-d", ref, current]);
    await afterRefChange(repository, before, actor);
    return { status: 204 };
  });

  async function afterRefChange(
    repository: RepositoryRecord,
    before: Map<string, string>,
    actor: Actor,
  ) {
    await handlePush(sim, {
      repository,
      before,
      after: await readRefs(repository.gitDir),
      pusher: actingAs(actor).user,
    });
  }

  function renderRef(repository: RepositoryRecord, ref: string, sha: string) {
    const base = apiBase(repository);
    return {
      ref,
      node_id: `REF_kwDO${Buffer.from(`${repository.id}:${ref}`).toString("base64url")}`,
      url: `${base}/git/${ref}`,
      object: { type: "commit", sha, url: `${base}/git/commits/${sha}` },
    };
  }

  async function renderCommit(repository: RepositoryRecord, sha: string) {
    const commit = await readCommit({ gitDir: repository.gitDir, home, sha });
    const base = apiBase(repository);
    const html = `${sim.urls.web}/${state.fullName(repository)}/commit`;
    return {
      sha,
      node_id: `C_kwDO${Buffer.from(`${repository.id}:${sha}`).toString("base64url")}`,
      url: `${base}/git/commits/${sha}`,
      html_url: `${html}/${sha}`,
      author: commit.author,
      committer: commit.committer,
      tree: { sha: commit.tree, url: `${base}/git/trees/${commit.tree}` },
      message: commit.message.replace(/\n$/, ""),
      parents: commit.parents.map((parent) => ({
        sha: parent,
        url: `${base}/git/commits/${parent}`,
        html_url: `${html}/${parent}`,
      })),
      verification: unsignedVerification(),
    };
  }
}
