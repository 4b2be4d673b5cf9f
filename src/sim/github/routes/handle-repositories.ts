import { repositoryRole } from "../auth/repository-role.js";
import { requireRepositoryAccess } from "../auth/require-repository-access.js";
import { roleAtLeast } from "../auth/role-at-least.js";
import { viewerRole } from "../auth/viewer-role.js";
import { readCommit } from "../git/read-commit.js";
import { readRefs } from "../git/read-refs.js";
import type { ApiRouter } from "../http/api-router.js";
import { HttpError } from "../http/http-error.js";
import type { RateLimiter } from "../http/rate-limiter.js";
import type { RepositoryRecord } from "../records.js";
import { renderCommit } from "../render/render-commit.js";
import { renderRepository } from "../render/render-repository.js";
import { renderUser } from "../render/render-user.js";
import type { Sim } from "../sim.js";

const READ = { permission: "metadata", level: "read", role: "read" } as const;
const CONTENTS_READ = { permission: "contents", level: "read", role: "read" } as const;

/**
 * Repository-level reads: the repository, a user's permission on it, a branch with its
 * head commit (read from git), a git ref, and `GET /rate_limit`.
 */
export function handleRepositories(router: ApiRouter, sim: Sim, rateLimiter: RateLimiter): void {
  const { state } = sim;
  const { api, web } = sim.urls;

  router.operation("repos/get", ({ actor, params }) => {
    const repository = requireRepositoryAccess(
      sim,
      actor,
      params.owner ?? "",
      params.repo ?? "",
      READ,
    );
    return {
      status: 200,
      body: renderRepository(sim, repository, { viewerRole: viewerRole(actor, repository) }),
    };
  });

  router.operation("repos/get-collaborator-permission-level", ({ actor, params }) => {
    const repository = requireRepositoryAccess(sim, actor, params.owner ?? "", params.repo ?? "", {
      permission: "metadata",
      level: "read",
      role: "write",
    });
    const user = state.userByLogin(params.username ?? "");
    if (!user) throw new HttpError(404, `${params.username} is not a user`);
    const role = repositoryRole(repository, user.id);
    // The legacy `permission` knows only admin, write and read.
    const permission =
      role === null ? "none" : role === "maintain" ? "write" : role === "triage" ? "read" : role;
    const template = sim.templates.example(
      "repository-collaborator-permission-response-if-user-has-admin-permissions",
    );
    const rendered = renderUser(sim, user, template.user as Record<string, unknown>);
    rendered.permissions = {
      admin: roleAtLeast(role, "admin"),
      maintain: roleAtLeast(role, "maintain"),
      push: roleAtLeast(role, "write"),
      triage: roleAtLeast(role, "triage"),
      pull: roleAtLeast(role, "read"),
    };
    rendered.role_name = role ?? "none";
    return { status: 200, body: { permission, role_name: role ?? "none", user: rendered } };
  });

  router.operation("git/get-ref", async ({ actor, params }) => {
    const repository = requireRepositoryAccess(
      sim,
      actor,
      params.owner ?? "",
      params.repo ?? "",
      CONTENTS_READ,
    );
    const ref = `refs/${params["*"] ?? ""}`;
    const refs = await readRefs(repository.gitDir);
    if (refs.size === 0) throw new HttpError(409, "Git Repository is empty.");
    const sha = refs.get(ref);
    if (!sha) throw new HttpError(404, "Not Found");
    const base = `${api}/repos/${state.fullName(repository)}`;
    return {
      status: 200,
      body: {
        ref,
        node_id: `REF_kwDO${Buffer.from(`${repository.id}:${ref}`).toString("base64url")}`,
        url: `${base}/git/${ref}`,
        object: { type: "commit", sha, url: `${base}/git/commits/${sha}` },
      },
    };
  });

  router.operation("repos/get-branch", async ({ actor, params }) => {
    const repository = requireRepositoryAccess(
      sim,
      actor,
      params.owner ?? "",
      params.repo ?? "",
      CONTENTS_READ,
    );
    const branch = params["*"] ?? "";
    const sha = (await readRefs(repository.gitDir)).get(`refs/heads/${branch}`);
    if (!sha) throw new HttpError(404, "Branch not found");
    return { status: 200, body: await renderBranch(repository, branch, sha) };
  });

  // `repos/get-branch-rules`: the active rules that apply to a branch name, whether or
  // not the branch exists (each with its ruleset), paginated; `[]` when none apply.
  router.route(
    "GET",
    "/api/v3/repos/:owner/:repo/rules/branches/*",
    ({ actor, params, query }) => {
      const repository = requireRepositoryAccess(
        sim,
        actor,
        params.owner ?? "",
        params.repo ?? "",
        READ,
      );
      const branch = params["*"] ?? "";
      const fullName = state.fullName(repository);
      const rules = repository.branchRulesets
        .filter((ruleset) => branchPatternMatches(ruleset.pattern, branch))
        .flatMap((ruleset) =>
          ruleset.rules.map((type) => ({
            type,
            ...ruleParameters(type),
            ruleset_source_type: "Repository",
            ruleset_source: fullName,
            ruleset_id: ruleset.id,
          })),
        );
      const perPage = Math.min(100, Math.max(1, Number(query.get("per_page") ?? 30) || 30));
      const page = Math.max(1, Number(query.get("page") ?? 1) || 1);
      return { status: 200, body: rules.slice((page - 1) * perPage, page * perPage) };
    },
    {
      rateLimited: "core",
      docs: "https://docs.github.com/rest/repos/rules#get-rules-for-a-branch",
    },
  );

  router.operation(
    "rate-limit/get",
    ({ actor }) => {
      const core = rateLimiter.window(actor, "core");
      const graphql = rateLimiter.window(actor, "graphql");
      const shape = (window: typeof core) => ({
        limit: window.limit,
        used: window.used,
        remaining: Math.max(0, window.limit - window.used),
        reset: window.reset,
      });
      const template = sim.templates.example("rate-limit-overview");
      const resources = structuredClone(template.resources) as Record<string, unknown>;
      resources.core = shape(core);
      resources.graphql = shape(graphql);
      return { status: 200, body: { resources, rate: shape(core) } };
    },
    { rateLimited: false },
  );

  async function renderBranch(repository: RepositoryRecord, branch: string, sha: string) {
    const commit = await readCommit({ gitDir: repository.gitDir, home: sim.git.home, sha });
    const fullName = state.fullName(repository);
    const base = `${api}/repos/${fullName}`;
    const template = sim.templates.example("branch-get");
    const isProtected = repository.protectedBranches.has(branch);
    return {
      ...template,
      name: branch,
      commit: renderCommit(sim, repository, commit, template.commit as Record<string, unknown>),
      _links: { self: `${base}/branches/${branch}`, html: `${web}/${fullName}/tree/${branch}` },
      protected: isProtected,
      protection: {
        enabled: isProtected,
        required_status_checks: {
          enforcement_level: isProtected ? "non_admins" : "off",
          contexts: [],
          checks: [],
        },
      },
      protection_url: `${base}/branches/${branch}/protection`,
    };
  }
}

/** A ruleset's branch pattern (fnmatch-like, as GitHub's): `*` stays within a segment. */
function branchPatternMatches(pattern: string, branch: string): boolean {
  if (pattern === "~ALL") return true;
  const name = pattern.replace(/^refs\/heads\//, "");
  let source = "";
  for (let i = 0; i < name.length; i++) {
    const char = name[i] as string;
    if (char === "*" && name[i + 1] === "*") {
      source += ".*";
      i++;
    } else if (char === "*") source += "[^/]*";
    else if (char === "?") source += "[^/]";
    else source += char.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`).test(branch);
}

/** The `parameters` GitHub gives the rule types that have them. */
function ruleParameters(type: string): { parameters?: Record<string, unknown> } {
  if (type === "update") return { parameters: { update_allows_fetch_and_merge: false } };
  if (type === "pull_request") {
    return {
      parameters: {
        dismiss_stale_reviews_on_push: false,
        require_code_owner_review: false,
        require_last_push_approval: false,
        required_approving_review_count: 1,
        required_review_thread_resolution: false,
      },
    };
  }
  return {};
}
