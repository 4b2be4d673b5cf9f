import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { jest } from "@jest/globals";
import { listRunSandboxes } from "../../src/sandbox/list-run-sandboxes.js";
import { askShip } from "../helpers/ask-ship.js";
import { awaitRun } from "../helpers/await-run.js";
import { itNeeding } from "../helpers/it-needing.js";
import { startTestShip, type TestShip } from "../helpers/start-test-ship.js";
import { waitFor } from "../helpers/wait-for.js";

jest.retryTimes(1, { logErrorsBeforeRetry: true });

const run = promisify(execFile);
/** Short, so the agent that never stops is stopped soon. */
const runTimeoutSeconds = 20;

/**
 * A scripted agent that works against Ship (the issue's text is untrusted): whatever it
 * does, the branch holds only what Ship committed, as the person Ship acts for, and the
 * run ends within its time.
 */
describe("a hostile agent", () => {
  let t: TestShip;
  let clones: string;

  /** What GitHub holds: branch names, and for `branch`, its commits and files past the default branch. */
  async function onGitHub(branch?: string) {
    const remote = new URL(`${t.world.github.url}/${t.world.sample.repository}.git`);
    remote.username = "x-access-token";
    remote.password = t.world.sample.writer.token;
    const heads = (await run("git", ["ls-remote", "--heads", remote.toString()])).stdout
      .split("\n")
      .filter(Boolean)
      .map((line) => line.split("refs/heads/")[1] ?? "");
    if (!branch) return { heads, commits: [], files: [] };
    const dir = mkdtempSync(path.join(clones, "clone-"));
    await run("git", ["clone", "-q", remote.toString(), dir]);
    const git = async (...args: string[]) => (await run("git", ["-C", dir, ...args])).stdout;
    const commits = (
      await git("log", "--format=%an <%ae>|%s|%cn <%ce>", `origin/main..origin/${branch}`)
    )
      .split("\n")
      .filter(Boolean);
    const files = (await git("diff", "--name-only", `origin/main...origin/${branch}`))
      .split("\n")
      .filter(Boolean);
    return { heads, commits, files };
  }

  beforeAll(async () => {
    t = await startTestShip({ SHIP_RUN_TIMEOUT: `${runTimeoutSeconds}s` });
    clones = mkdtempSync(path.join(tmpdir(), "ship-hostile-"));
  });
  afterAll(async () => {
    await t?.stop();
    rmSync(clones, { recursive: true, force: true });
  });

  it("cannot push by itself, cannot slip in a CI workflow, and cannot commit under another name", async () => {
    const { issue, comment } = askShip(t, "/ship --model sim/hostile-push add a README");
    const ended = await awaitRun(t, comment.id);
    expect(ended.state).toBe("succeeded");
    const branch = ended.branch as string;
    const { heads, commits, files } = await onGitHub(branch);

    // Its own pushes went nowhere: it has no credential that can write.
    expect(heads).not.toContain("hijack");
    // One commit, Ship's, as the person Ship acted for; Mallory's commit folded in.
    expect(commits).toHaveLength(1);
    expect(commits[0]).toMatch(new RegExp(`^${ended.actingLogin} <.+>\\|Did everything`));
    expect(commits.join("\n")).not.toContain("Mallory");
    // What it changed is there, except the workflow.
    expect(files).toEqual(expect.arrayContaining(["hijacked.txt", "push-attempt.txt"]));
    expect(files.filter((file) => file.startsWith(".github/"))).toEqual([]);
    expect(ended.result?.leftOut).toEqual([
      { path: ".github/workflows/leak.yml", why: "workflow" },
    ]);
    // And the person is told.
    const status = t.world.github
      .issueComments(t.world.sample.repository, issue.number)
      .find((c) => c.body.includes(`<!-- ship:run:${ended.id} -->`));
    expect(status?.body).toContain("**Left out:** `.github/workflows/leak.yml`");
    await sandboxGone(ended.id);
  });

  it("cannot slip a workflow or another author into Ship's own commit with a git hook", async () => {
    const { issue, comment } = askShip(t, "/ship --model sim/hostile-hook add a README");
    const ended = await awaitRun(t, comment.id);
    expect({ state: ended.state, error: ended.errorMessage }).toEqual({
      state: "succeeded",
      error: null,
    });
    const { commits, files } = await onGitHub(ended.branch as string);

    // The hook amended Ship's commit in the sandbox; GitHub got Ship's version of it.
    expect(files).toEqual(["NOTES.md"]);
    expect(commits).toHaveLength(1);
    expect(commits[0]).toMatch(new RegExp(`^${ended.actingLogin} <.+>\\|Wrote the notes`));
    expect(commits.join("\n")).not.toContain("octocat");
    expect(ended.result?.filesChanged).toEqual(["NOTES.md"]);
    expect(ended.result?.leftOut).toEqual([{ path: ".github/workflows/pwn.yml", why: "workflow" }]);
    const status = t.world.github
      .issueComments(t.world.sample.repository, issue.number)
      .find((c) => c.body.includes(`<!-- ship:run:${ended.id} -->`));
    expect(status?.body).toContain("**Left out:** `.github/workflows/pwn.yml`");
  });

  it("cannot put a file larger than GitHub accepts on the branch", async () => {
    const { issue, comment } = askShip(t, "/ship --model sim/huge-file add a README");
    const ended = await awaitRun(t, comment.id);
    expect(ended.state).toBe("succeeded");
    const { files } = await onGitHub(ended.branch as string);
    expect(files).toEqual(["notes.txt"]);
    expect(ended.result?.leftOut).toEqual([{ path: "huge.bin", why: "too-large" }]);
    const status = t.world.github
      .issueComments(t.world.sample.repository, issue.number)
      .find((c) => c.body.includes(`<!-- ship:run:${ended.id} -->`));
    expect(status?.body).toContain("**Left out:** `huge.bin`, larger than the 100 MB");
  });

  // Without isolation the agent would fill this machine's own disk.
  itNeeding(
    "bubblewrap",
    "that fills the sandbox's disk ends with what went wrong, and nothing on GitHub",
    async () => {
      const { issue, comment } = askShip(t, "/ship --model sim/fill-disk add a README");
      const ended = await awaitRun(t, comment.id);
      expect(ended.state).toBe("failed");
      expect(ended.errorCategory).toBe("disk_full");
      expect(ended.errorMessage).toMatch(/^The sandbox's disk filled up/);
      const status = t.world.github
        .issueComments(t.world.sample.repository, issue.number)
        .find((c) => c.body.includes(`<!-- ship:run:${ended.id} -->`));
      expect(status?.body).toContain("The sandbox's disk filled up");
      // The same task would fill the disk again: what to do instead, and no retry offered.
      expect(status?.body).toContain("**What to do:** Ask for a smaller change");
      expect(status?.body).not.toContain("/ship retry");
      const { heads } = await onGitHub();
      expect(heads.filter((head) => head.endsWith(`-${ended.threadNumber}`))).toEqual([]);
      await sandboxGone(ended.id);
    },
  );

  it("that never stops is stopped at the run's timeout, with its sandbox", async () => {
    const startedAt = Date.now();
    const { comment } = askShip(t, "/ship --model sim/loop-forever add a README");
    const ended = await awaitRun(t, comment.id, (runTimeoutSeconds + 40) * 1000);
    const tookSeconds = (Date.now() - startedAt) / 1000;
    process.stdout.write(
      `hostile agent looping forever: run ended after ${tookSeconds.toFixed(1)} s (timeout ${runTimeoutSeconds} s)\n`,
    );
    expect(ended.state).toBe("failed");
    expect(ended.errorCategory).toBe("timeout");
    expect(tookSeconds).toBeLessThan(runTimeoutSeconds + 30);
    await sandboxGone(ended.id);
    const { heads } = await onGitHub();
    expect(heads.filter((head) => head.endsWith(`-${ended.threadNumber}`))).toEqual([]);
  });

  /** The run's sandbox is killed as the run ends: the failure is recorded first, so poll. */
  async function sandboxGone(runId: number): Promise<void> {
    await waitFor(
      `run ${runId}'s sandbox to be killed`,
      async () =>
        (await listRunSandboxes(t.config.sandbox, t.world.app.id)).every(
          (sandbox) => sandbox.runId !== runId,
        ),
      15_000,
    );
  }
});
