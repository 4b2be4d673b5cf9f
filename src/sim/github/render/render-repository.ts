import { roleAtLeast } from "../auth/role-at-least.js";
import type { RepositoryRecord, RepositoryRole } from "../records.js";
import type { Sim } from "../sim.js";
import { renderUser } from "./render-user.js";
import { retarget } from "./retarget.js";

/**
 * A repository built on `template` (GitHub's full-repository example by default, or the
 * repository object of a webhook or pull request example). `viewerRole` fills
 * `permissions` as the caller sees them; without it the field is dropped.
 */
export function renderRepository(
  sim: Sim,
  repository: RepositoryRecord,
  options: { template?: Record<string, unknown>; viewerRole?: RepositoryRole | null } = {},
): Record<string, unknown> {
  const template = options.template ?? sim.templates.example("full-repository-default-response");
  const out = structuredClone(template);
  const { api, web, host } = sim.urls;
  const { state } = sim;
  const owner = state.user(repository.ownerId);
  const fullName = `${owner.login}/${repository.name}`;
  const oldFullName = String(template.full_name);
  retarget(out, [
    [`${api}/repos/${oldFullName}`, `${api}/repos/${fullName}`],
    [`${web}/${oldFullName}`, `${web}/${fullName}`],
  ]);
  const openIssues = [...state.issues.values()].filter(
    (issue) => issue.repositoryId === repository.id && issue.state === "open",
  ).length;
  const forks = [...state.repositories.values()].filter(
    (candidate) => candidate.parentId === repository.id,
  ).length;
  Object.assign(out, {
    id: repository.id,
    node_id: repository.nodeId,
    name: repository.name,
    full_name: fullName,
    owner: renderUser(sim, owner, template.owner as Record<string, unknown>),
    private: repository.private,
    visibility: repository.private ? "private" : "public",
    html_url: `${web}/${fullName}`,
    description: repository.description,
    fork: repository.parentId !== null,
    url: `${api}/repos/${fullName}`,
    git_url: `git://${host}/${fullName}.git`,
    ssh_url: `git@${host}:${fullName}.git`,
    clone_url: `${web}/${fullName}.git`,
    svn_url: `${web}/${fullName}`,
    mirror_url: null,
    homepage: null,
    language: null,
    size: 0,
    default_branch: repository.defaultBranch,
    created_at: repository.createdAt,
    updated_at: repository.updatedAt,
    pushed_at: repository.pushedAt,
    open_issues_count: openIssues,
    open_issues: openIssues,
    forks_count: forks,
    forks,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    topics: [],
    archived: false,
    disabled: false,
    is_template: false,
    license: null,
    has_issues: true,
    has_discussions: false,
  });
  if (!options.template) {
    // Settings GitHub sends on the full repository that its example lacks.
    Object.assign(out, {
      allow_update_branch: false,
      use_squash_pr_title_as_default: false,
      web_commit_signoff_required: false,
    });
  }
  if ("template_repository" in out) out.template_repository = null;
  // Only the full repository (`GET /repos/{owner}/{repo}`) carries a clone token.
  if (options.template) delete out.temp_clone_token;
  else out.temp_clone_token = null;
  if ("network_count" in out) out.network_count = forks;
  if ("subscribers_count" in out) out.subscribers_count = 0;
  if ("custom_properties" in out) out.custom_properties = {};
  if (owner.type === "Organization" && "organization" in template) {
    out.organization = renderUser(sim, owner, template.owner as Record<string, unknown>);
  } else {
    delete out.organization;
  }
  const parent = repository.parentId === null ? null : state.repository(repository.parentId);
  if (parent && "parent" in template) {
    // A fork names its parent (and root) as a plain repository object.
    const parentTemplate = structuredClone(template);
    for (const key of ["parent", "source", "organization", "permissions"])
      delete parentTemplate[key];
    out.parent = renderRepository(sim, parent, { template: parentTemplate });
    out.source = out.parent;
  } else {
    delete out.parent;
    delete out.source;
  }
  if (options.viewerRole === undefined) {
    delete out.permissions;
  } else {
    const role = options.viewerRole;
    out.permissions = {
      admin: roleAtLeast(role, "admin"),
      maintain: roleAtLeast(role, "maintain"),
      push: roleAtLeast(role, "write"),
      triage: roleAtLeast(role, "triage"),
      pull: roleAtLeast(role, "read"),
    };
  }
  return out;
}
