import { randomInt } from "node:crypto";
import { userInfo } from "node:os";
import { CommandExitError, type CommandHandle, Sandbox, TimeoutError } from "e2b/dist/index.mjs";
import {
  type SandboxServer,
  startSandboxServer,
} from "../../../src/sim/sandbox/start-sandbox-server.js";
import { describeNeeding } from "../../helpers/describe-needing.js";
import { testLogger } from "../../helpers/test-logger.js";
import { hostProcessesWith } from "./host-processes.js";
import { waitUntil } from "./wait-until.js";

/** A terminal whose output the test reads as text. */
interface Terminal {
  handle: CommandHandle;
  output(): string;
  type(text: string): Promise<void>;
  /** Waits until the output (since creation) matches `pattern`. */
  waitFor(pattern: RegExp): Promise<void>;
}

/**
 * `sandbox.pty` against the E2B stand-in, through the real SDK: what E2B's own PTY
 * tests check (create, sendInput, resize, kill, connect), plus what they take for
 * granted on a real VM (a real terminal, the sandbox's user and environment, a kill
 * that really ends the shell, the terminal dying with its sandbox). Output is
 * asserted by text the typed command line does not contain, since a terminal echoes
 * what is typed.
 */
describe("sandbox.pty without isolation", () => ptySuite("none"));
describeNeeding("bubblewrap", "sandbox.pty under bwrap", () => ptySuite("bwrap"));

/** The same checks in each isolation mode: the terminal must behave the same in both. */
function ptySuite(isolation: "bwrap" | "none"): void {
  let server: SandboxServer;
  let sandbox: Sandbox;

  beforeAll(async () => {
    server = await startSandboxServer({ isolation, opencodeBinary: null, log: testLogger() });
  });
  afterAll(async () => {
    await server?.stop();
  });
  beforeEach(async () => {
    sandbox = await Sandbox.create("base", {
      apiKey: server.apiKey,
      apiUrl: server.apiUrl,
      sandboxUrl: server.sandboxUrl,
      envs: { FROM_SANDBOX: "sandbox-wide" },
    });
  });
  afterEach(async () => {
    await sandbox.kill().catch(() => false);
  });

  async function openTerminal(
    options: Partial<Parameters<Sandbox["pty"]["create"]>[0]> = {},
  ): Promise<Terminal> {
    let text = "";
    const decoder = new TextDecoder();
    const handle = await sandbox.pty.create({
      cols: 80,
      rows: 24,
      onData: (data) => {
        text += decoder.decode(data, { stream: true });
      },
      ...options,
    });
    return {
      handle,
      output: () => text,
      type: (typed) => sandbox.pty.sendInput(handle.pid, new TextEncoder().encode(typed)),
      waitFor: (pattern) =>
        waitUntil(`terminal output matching ${pattern}`, () => pattern.test(text), 10_000),
    };
  }

  it("runs a login shell that gets its envs and input, and ends with exit code 0 on `exit`", async () => {
    const terminal = await openTerminal({ envs: { ABC: "123" } });
    await terminal.type('echo "abc=$ABC sandbox=$FROM_SANDBOX term=$TERM"\nexit\n');
    const result = await terminal.handle.wait();
    expect(result.exitCode).toBe(0);
    expect(terminal.output()).toContain("abc=123 sandbox=sandbox-wide term=xterm-256color");
  });

  it("is a real terminal: a tty on stdin and stdout, an interactive shell with job control, sized as asked", async () => {
    const terminal = await openTerminal({ cols: 91, rows: 33 });
    await terminal.type(
      'tty -s && [ -t 1 ] && echo "is-a-""tty"; echo "size=$(stty size)"; case $- in *i*m*) echo "job-""control";; esac\n',
    );
    await terminal.waitFor(/size=33 91/);
    expect(terminal.output()).toContain("is-a-tty");
    expect(terminal.output()).toContain("job-control");
    await terminal.type("exit\n");
    await terminal.handle.wait();
  });

  it("sends input byte for byte: a line read by a running program, and Ctrl-C interrupting one", async () => {
    const terminal = await openTerminal();
    await terminal.type('read -r line; echo "got:[$line]"\n');
    await terminal.type("héllo wörld\n");
    await terminal.waitFor(/got:\[héllo wörld\]/);
    // Ctrl-C once the sleep runs (earlier, bash itself takes it and may drop what follows),
    // and the next line once the terminal has echoed it.
    await terminal.type('echo "sleeping-""now"; sleep 30; echo slept\n');
    await terminal.waitFor(/sleeping-now/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await terminal.type("\x03");
    await terminal.waitFor(/\^C/);
    await terminal.type('echo "after-""interrupt"\n');
    await terminal.waitFor(/after-interrupt/);
    expect(terminal.output()).not.toMatch(/^slept/m);
    await terminal.type("exit 3\n");
    const failure = await terminal.handle.wait().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CommandExitError);
    expect((failure as CommandExitError).exitCode).toBe(3);
  });

  it("resizes: the shell and a running program see the new size", async () => {
    const terminal = await openTerminal();
    await terminal.type('echo "before=$(stty size) cols=$(tput cols)"\n');
    await terminal.waitFor(/before=24 80 cols=80/);
    await sandbox.pty.resize(terminal.handle.pid, { cols: 100, rows: 40 });
    await terminal.type('echo "after=$(stty size) cols=$(tput cols)"\n');
    await terminal.waitFor(/after=40 100 cols=100/);

    // A running program hears of a resize (SIGWINCH) while it runs.
    await sandbox.files.write(
      "/home/user/winch.sh",
      "trap 'echo \"winch=$(stty size)\"' WINCH\necho trap-set\nwhile :; do sleep 0.1; done\n",
    );
    await terminal.type("bash ~/winch.sh\n");
    await terminal.waitFor(/^trap-set/m);
    await sandbox.pty.resize(terminal.handle.pid, { cols: 120, rows: 50 });
    await terminal.waitFor(/winch=50 120/);
  });

  it("kills the terminal's shell and what runs in its foreground, reported as envd reports a kill", async () => {
    const sleep = `sleep ${randomInt(100_000, 999_999)}`;
    const terminal = await openTerminal();
    await terminal.type(`${sleep}\n`);
    await waitUntil("the sleep to run", async () => (await hostProcessesWith(sleep)).length > 0);

    expect(await sandbox.pty.kill(terminal.handle.pid)).toBe(true);
    const failure = await terminal.handle.wait().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CommandExitError);
    expect((failure as CommandExitError).exitCode).toBe(-1);
    expect((failure as CommandExitError).error).toBe("signal: killed");
    await waitUntil(
      "the sleep to be gone",
      async () => (await hostProcessesWith(sleep)).length === 0,
    );
    // As in E2B's test, the pid no longer names a running process...
    await expect(sandbox.commands.run(`kill -0 ${terminal.handle.pid}`)).rejects.toThrow(
      CommandExitError,
    );
    // ...nor a process envd knows of.
    expect(await sandbox.pty.kill(terminal.handle.pid)).toBe(false);
    expect(await sandbox.pty.kill(999_999)).toBe(false);
  });

  it("lists a running terminal among the sandbox's commands, and forgets it once it ends", async () => {
    const terminal = await openTerminal({ envs: { LISTED: "yes" } });
    const listed = (await sandbox.commands.list()).find((proc) => proc.pid === terminal.handle.pid);
    expect(listed).toMatchObject({ cmd: "/bin/bash", args: ["-i", "-l"] });
    expect(listed?.envs).toMatchObject({ LISTED: "yes", TERM: "xterm-256color" });
    await terminal.type("exit\n");
    await terminal.handle.wait();
    const after = await sandbox.commands.list();
    expect(after.map((proc) => proc.pid)).not.toContain(terminal.handle.pid);
  });

  it("reconnects: after a disconnect the shell keeps running and a new connection streams its output", async () => {
    const first = await openTerminal({ envs: { FOO: "bar" } });
    await first.type('echo "first=$FOO"\n');
    await first.waitFor(/first=bar/);
    await first.handle.disconnect();

    let text = "";
    const decoder = new TextDecoder();
    const again = await sandbox.pty.connect(first.handle.pid, {
      onData: (data) => {
        text += decoder.decode(data, { stream: true });
      },
    });
    expect(again.pid).toBe(first.handle.pid);
    await sandbox.pty.sendInput(
      first.handle.pid,
      new TextEncoder().encode('echo "second=$FOO"\nexit\n'),
    );
    const result = await again.wait();
    expect(result.exitCode).toBe(0);
    expect(text).toContain("second=bar");
    expect(first.output()).not.toContain("second=bar");
  });

  it("starts in the asked cwd as the sandbox's user, with none of the host's environment", async () => {
    process.env.SHIP_TEST_HOST_SECRET = "must-not-leak";
    try {
      const terminal = await openTerminal({ cwd: "/tmp" });
      await terminal.type(
        'echo "cwd=$(pwd) user=$(id -un) secret=[$SHIP_TEST_HOST_SECRET]"\nexit\n',
      );
      await terminal.handle.wait();
      const cwd = isolation === "bwrap" ? "/tmp" : `${server.sandboxDir(sandbox.sandboxId)}/tmp`;
      const user = isolation === "bwrap" ? "user" : userInfo().username;
      expect(terminal.output()).toContain(`cwd=${cwd} user=${user} secret=[]`);
    } finally {
      delete process.env.SHIP_TEST_HOST_SECRET;
    }
  });

  it("is killed when its timeout passes, as envd kills a PTY after timeoutMs", async () => {
    const sleep = `sleep ${randomInt(100_000, 999_999)}`;
    const terminal = await openTerminal({ timeoutMs: 1_500 });
    await terminal.type(`${sleep}\n`);
    await waitUntil("the sleep to run", async () => (await hostProcessesWith(sleep)).length > 0);
    await expect(terminal.handle.wait()).rejects.toThrow(TimeoutError);
    await waitUntil(
      "the sleep to be gone",
      async () => (await hostProcessesWith(sleep)).length === 0,
    );
    const listed = await sandbox.commands.list();
    expect(listed.map((proc) => proc.pid)).not.toContain(terminal.handle.pid);
  });

  it("dies with its sandbox, and what runs in it too", async () => {
    const sleep = `sleep ${randomInt(100_000, 999_999)}`;
    const terminal = await openTerminal();
    await terminal.type(`${sleep} & ${sleep}\n`);
    await waitUntil(
      "both sleeps to run",
      async () => (await hostProcessesWith(sleep)).length === 2,
    );
    await sandbox.kill();
    await expect(terminal.handle.wait()).rejects.toThrow();
    await waitUntil(
      "the sleeps to be gone",
      async () => (await hostProcessesWith(sleep)).length === 0,
    );
  });
}
