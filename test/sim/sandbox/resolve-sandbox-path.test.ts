import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { resolveSandboxPath } from "../../../src/sim/sandbox/resolve-sandbox-path.js";

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), "ship-sandbox-path-"));
  await mkdir(path.join(root, "home/user/repo"), { recursive: true });
  await writeFile(path.join(root, "home/user/repo/file.txt"), "x");
  // Links a sandbox process could plant, each aimed at the host's files.
  await symlink("/etc", path.join(root, "home/user/etc-link"));
  await symlink("../../../../../../../etc/passwd", path.join(root, "home/user/climb"));
  await symlink("repo", path.join(root, "home/user/relative"));
  await symlink("loop-b", path.join(root, "home/user/loop-a"));
  await symlink("loop-a", path.join(root, "home/user/loop-b"));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe("resolveSandboxPath", () => {
  it("resolves relative paths and ~ against /home/user, and .. lexically within the sandbox", async () => {
    expect(await resolveSandboxPath(root, "repo/file.txt")).toEqual({
      sandboxPath: "/home/user/repo/file.txt",
      hostPath: path.join(root, "home/user/repo/file.txt"),
    });
    expect((await resolveSandboxPath(root, "~/repo")).sandboxPath).toBe("/home/user/repo");
    expect((await resolveSandboxPath(root, "")).sandboxPath).toBe("/home/user");
    expect((await resolveSandboxPath(root, "/../../../etc/passwd")).hostPath).toBe(
      path.join(root, "etc/passwd"),
    );
  });

  it("takes a path in its host form (how unisolated processes see it) as the same file", async () => {
    expect(await resolveSandboxPath(root, path.join(root, "home/user/repo/file.txt"))).toEqual({
      sandboxPath: "/home/user/repo/file.txt",
      hostPath: path.join(root, "home/user/repo/file.txt"),
    });
    expect((await resolveSandboxPath(root, root)).sandboxPath).toBe("/");
    // A sibling whose name merely starts like the root is not inside it.
    expect((await resolveSandboxPath(root, `${root}-other/x`)).hostPath).toBe(
      path.join(root, `${root}-other/x`),
    );
  });

  it("follows symlinks as the sandbox sees them, never out of its directory", async () => {
    expect((await resolveSandboxPath(root, "/home/user/etc-link/passwd")).hostPath).toBe(
      path.join(root, "etc/passwd"),
    );
    expect((await resolveSandboxPath(root, "climb")).hostPath).toBe(path.join(root, "etc/passwd"));
    expect((await resolveSandboxPath(root, "relative/file.txt")).sandboxPath).toBe(
      "/home/user/repo/file.txt",
    );
  });

  it("leaves a final symlink alone when asked, and refuses symlink loops", async () => {
    expect((await resolveSandboxPath(root, "climb", { followLast: false })).sandboxPath).toBe(
      "/home/user/climb",
    );
    await expect(resolveSandboxPath(root, "loop-a")).rejects.toThrow(/too many levels/);
  });
});
