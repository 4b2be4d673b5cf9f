import { HttpError } from "../http/http-error.js";
import type {
  InstallationRecord,
  InstallationTokenRecord,
  PermissionLevel,
  Permissions,
} from "../records.js";
import type { Sim } from "../sim.js";
import { generateToken } from "./generate-token.js";

const RANK: Record<PermissionLevel, number> = { read: 1, write: 2, admin: 3 };

/**
 * An installation access token (`ghs_`, one hour), optionally narrowed to some of the
 * installation's repositories and to lesser permissions; asking for more than the
 * installation has is GitHub's 422.
 */
export function mintInstallationToken(
  sim: Sim,
  params: {
    installation: InstallationRecord;
    /** Repository names (without owner). */
    repositories?: string[];
    repositoryIds?: number[];
    permissions?: Permissions;
  },
): InstallationTokenRecord {
  const { state } = sim;
  const { installation } = params;
  if (installation.suspendedAt !== null) {
    throw new HttpError(403, "This installation has been suspended");
  }
  const reachable = state.installationRepositories(installation);
  const notAccessible = () =>
    new HttpError(
      422,
      "There is at least one repository that does not exist or is not accessible to the parent installation.",
    );
  let repositoryIds: number[] | null = null;
  if (params.repositories !== undefined || params.repositoryIds !== undefined) {
    const ids = new Set<number>();
    for (const name of params.repositories ?? []) {
      const found = reachable.find(
        (repository) => repository.name.toLowerCase() === String(name).toLowerCase(),
      );
      if (!found) throw notAccessible();
      ids.add(found.id);
    }
    for (const id of params.repositoryIds ?? []) {
      if (!reachable.some((repository) => repository.id === Number(id))) throw notAccessible();
      ids.add(Number(id));
    }
    repositoryIds = [...ids];
  }
  let permissions: Permissions = { ...installation.permissions };
  if (params.permissions !== undefined) {
    permissions = { metadata: "read" };
    for (const [name, level] of Object.entries(params.permissions)) {
      const granted = installation.permissions[name];
      if (!granted || !(level in RANK) || RANK[level] > RANK[granted]) {
        throw new HttpError(422, "The permissions requested are not granted to this installation.");
      }
      permissions[name] = level;
    }
  }
  const record: InstallationTokenRecord = {
    kind: "installation",
    token: generateToken("ghs"),
    installationId: installation.id,
    expiresAt: sim.clock.now() + sim.settings.installationTokenTtlSeconds * 1000,
    permissions,
    repositoryIds,
  };
  state.tokens.set(record.token, record);
  return record;
}
