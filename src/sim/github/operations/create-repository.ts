import { rm } from "node:fs/promises";
import path from "node:path";
import { createBareRepository } from "../git/create-bare-repository.js";
import { runGit } from "../git/run-git.js";
import type { RepositoryRecord } from "../records.js";
import type { Sim } from "../sim.js";

// The labels every new GitHub repository starts with.
const DEFAULT_LABELS: Array<[string, string, string]> = [
  ["bug", "d73a4a", "Something isn't working"],
  ["documentation", "0075ca", "Improvements or additions to documentation"],
  ["duplicate", "cfd3d7", "This issue or pull request already exists"],
  ["enhancement", "a2eeef", "New feature or request"],
  ["good first issue", "7057ff", "Good for newcomers"],
  ["help wanted", "008672", "Extra attention is needed"],
  ["invalid", "e4e669", "This doesn't seem right"],
  ["question", "d876e3", "Further information is requested"],
  ["wontfix", "ffffff", "This will not be worked on"],
];

/**
 * Creates a repository backed by a real bare git repository: with one initial commit
 * holding `files` on the default branch, or as a fork (a bare clone of `forkOf`, all
 * its branches) owned by `owner`.
 */
export async function createRepository(
  sim: Sim,
  params: {
    owner: string;
    name: string;
    private?: boolean;
    description?: string | null;
    defaultBranch?: string;
    /** Path -> content of the initial commit; a README when left out. */
    files?: Record<string, string>;
    /** `owner/name` of the repository to fork. */
    forkOf?: string;
  },
): Promise<RepositoryRecord> {
  const { state } = sim;
  const owner = state.userByLogin(params.owner);
  if (!owner) throw new Error(`no account ${params.owner}`);
  if (!/^[A-Za-z0-9._-]+$/.test(params.name) || params.name.endsWith(".git")) {
    throw new Error(`bad repository name ${params.name}`);
  }
  const taken = state.repositoryByName(owner.login, params.name);
  const fullName = `${owner.login}/${params.name}`.toLowerCase();
  if (taken && state.renamed.get(fullName) !== taken.id) throw new Error(`${fullName} exists`);
  // A renamed repository's old name is free again, as on GitHub: its redirect ends, and
  // the new repository gets a git directory of its own (the old one keeps its first).
  state.renamed.delete(fullName);
  const gitDir = path.join(
    sim.git.root,
    owner.login,
    taken ? `${params.name}-${state.nextId("repository")}.git` : `${params.name}.git`,
  );
  // State lives in memory: a directory left by an earlier run of the same dataDir is
  // stale, and only ever inside the fake's own `repositories` folder.
  await rm(gitDir, { recursive: true, force: true });
  let parent: RepositoryRecord | undefined;
  let defaultBranch = params.defaultBranch ?? "main";
  if (params.forkOf) {
    const [parentOwner = "", parentName = ""] = params.forkOf.split("/");
    parent = state.repositoryByName(parentOwner, parentName);
    if (!parent) throw new Error(`no repository ${params.forkOf} to fork`);
    defaultBranch = parent.defaultBranch;
    await runGit(["clone", "--bare", "--quiet", "--no-local", parent.gitDir, gitDir], {
      home: sim.git.home,
    });
  } else {
    await createBareRepository({
      gitDir,
      home: sim.git.home,
      branch: defaultBranch,
      files: params.files ?? { "README.md": `# ${params.name}\n` },
      author: {
        name: owner.name ?? owner.login,
        email: `${owner.id}+${owner.login}@users.noreply.github.com`,
      },
      message: "Initial commit",
      time: Math.floor(sim.clock.now() / 1000),
    });
  }
  const id = state.nextId("repository");
  const now = sim.clock.iso();
  const repository: RepositoryRecord = {
    id,
    nodeId: state.nodeId("Repository", id),
    ownerId: owner.id,
    name: params.name,
    private: params.private ?? parent?.private ?? true,
    description: params.description ?? parent?.description ?? null,
    defaultBranch,
    gitDir,
    parentId: parent?.id ?? null,
    createdAt: now,
    updatedAt: now,
    pushedAt: now,
    lastNumber: 0,
    collaborators: new Map(),
    labels: new Map(),
    protectedBranches: new Set(),
    branchRulesets: [],
  };
  for (const [name, color, description] of DEFAULT_LABELS) {
    const labelId = state.nextId("label");
    repository.labels.set(name, {
      id: labelId,
      nodeId: state.nodeId("Label", labelId),
      repositoryId: id,
      name,
      color,
      description,
      isDefault: true,
      updatedAt: now,
    });
  }
  state.repositories.set(id, repository);
  return repository;
}
