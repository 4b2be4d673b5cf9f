import { runCommandScript } from "./model/run-command-script.js";
import type { ScriptStep } from "./model/script-step.js";
import { writeFileScript } from "./model/write-file-script.js";

/**
 * Scripts the local world's model plays, by model name (`sim/<name>`). Ship's provider
 * config lists exactly these, so `--model sim/<name>` picks one.
 */
export const simScripts: Record<string, ScriptStep[]> = {
  "write-readme": writeFileScript({
    path: "README.md",
    content:
      '# widgets\n\nTiny helpers for counting widgets.\n\n## Usage\n\n```js\nimport { countWidgets } from "widgets";\ncountWidgets(10, 3); // 3\n```\n\n## Tests\n\n```sh\nnpm test\n```\n',
    summary: "Add a README that explains what widgets does and how to run its tests",
  }),
  // The same, with a model that takes a few seconds to answer: runs that overlap in time.
  "slow-readme": [
    {
      toolCalls: [{ name: "write", arguments: { filePath: "README.md", content: "# widgets\n" } }],
      delayMs: 2_500,
    },
    { reply: "Add a short README" },
  ],
  // Follow-ups on a pull request: each adds a file of its own.
  "add-changelog": writeFileScript({
    path: "CHANGELOG.md",
    content: "# Changelog\n\n## 1.0.0\n\n- First release.\n",
    summary: "Add a changelog",
  }),
  "add-license": writeFileScript({
    path: "LICENSE",
    content: "MIT License\n",
    summary: "Add the MIT license",
  }),
  // Adds a line to NOTES.md each time it runs, so a run that continues an earlier one's
  // branch shows it (budget stops and retries).
  "append-notes": runCommandScript({
    command: "echo 'one more step' >> NOTES.md",
    summary: "Added a step to the notes",
  }),
  "no-changes": [{ reply: "The repository already does what was asked; I changed nothing." }],
  "bad-request": [
    { error: { status: 400, message: "Invalid request: the model rejected the prompt" } },
  ],
  "server-error": [
    { error: { status: 500, message: "The model server failed", retryAfterMs: 100 } },
  ],
  stall: [{ stall: true }],
  // A hostile agent that tries to get around Ship: pushes by itself (it has no
  // credential that can), writes a CI workflow (which would run with the repository's
  // secrets), and commits by itself under another name.
  "hostile-push": runCommandScript({
    command: [
      "{ git push origin HEAD:refs/heads/hijack; git push --force origin HEAD; } > push-attempt.txt 2>&1",
      "mkdir -p .github/workflows",
      "printf 'on: push\\njobs:\\n  leak:\\n    runs-on: ubuntu-latest\\n    steps:\\n      - run: env\\n' > .github/workflows/leak.yml",
      "echo hijacked > hijacked.txt",
      "git add -A",
      "git -c user.name=Mallory -c user.email=mallory@evil.example commit -qm 'Mallory was here'",
      "true",
    ].join("; "),
    summary: "Did everything the issue asked",
  }),
  // A hostile agent that plants a post-commit hook: when Ship commits, the hook adds a CI
  // workflow to Ship's commit and amends it under another name. Only what Ship reads
  // back and decides outside the sandbox keeps either off the branch.
  "hostile-hook": runCommandScript({
    command: [
      `printf '%s\\n' ${[
        "#!/bin/sh",
        "test -e .github/workflows/pwn.yml && exit 0",
        "mkdir -p .github/workflows",
        "printf 'on: push\\njobs:\\n  pwn:\\n    runs-on: ubuntu-latest\\n    steps:\\n      - run: env\\n' > .github/workflows/pwn.yml",
        "git add .github/workflows/pwn.yml",
        "GIT_COMMITTER_NAME=octocat GIT_COMMITTER_EMAIL=octocat@github.com git commit -q --amend --no-edit '--author=octocat <octocat@github.com>'",
      ]
        .map((line) => JSON.stringify(line))
        .join(" ")} > .git/hooks/post-commit`,
      "chmod +x .git/hooks/post-commit",
      "echo 'Counting widgets, documented.' > NOTES.md",
    ].join(" && "),
    summary: "Wrote the notes",
  }),
  // An agent that writes a file larger than GitHub accepts, beside a small one.
  "huge-file": runCommandScript({
    command: "head -c 105M /dev/zero > huge.bin && echo notes > notes.txt",
    summary: "Wrote the data file and the notes",
  }),
  // An agent that fills the sandbox's disk (the stand-in's home holds 1 GiB).
  "fill-disk": runCommandScript({
    command: "head -c 2G /dev/zero > fill.bin; echo notes > notes.txt; df -h .; true",
    summary: "Wrote the data",
  }),
  // An agent that never stops: only the run's timeout ends it.
  "loop-forever": runCommandScript({
    command: "while :; do :; done",
    summary: "Unreachable",
  }),
  // Plans, then writes two files with pauses between the steps: a run long enough to
  // watch on its page (todo list, tool calls, two files, usage), but still quick.
  "step-by-step": [
    {
      toolCalls: [
        {
          name: "todowrite",
          arguments: {
            todos: [
              { content: "Write the README", status: "in_progress", priority: "high" },
              { content: "Start a changelog", status: "pending", priority: "medium" },
            ],
          },
        },
      ],
      delayMs: 1_500,
      usage: { input: 1_200, output: 40, cacheRead: 0 },
    },
    {
      toolCalls: [{ name: "write", arguments: { filePath: "README.md", content: "# widgets\n" } }],
      delayMs: 1_500,
      usage: { input: 1_300, output: 60, cacheRead: 1_000 },
    },
    {
      toolCalls: [
        { name: "write", arguments: { filePath: "CHANGELOG.md", content: "# Changelog\n" } },
      ],
      delayMs: 1_500,
      usage: { input: 1_400, output: 50, cacheRead: 1_200 },
    },
    {
      reply: "Add a README and start a changelog",
      usage: { input: 1_500, output: 12, cacheRead: 1_300 },
    },
  ],
  // A hostile agent: dumps everything a process in the sandbox can see into a file that
  // Ship then commits, so a test can prove no secret of Ship's is in there.
  "dump-environment": runCommandScript({
    command:
      "{ echo '## env'; env; echo '## git credentials'; cat ~/.git-credentials; echo '## .git/config'; cat .git/config; echo '## git config'; git config --list --show-origin; echo '## processes'; ps -eo pid,args; echo '## /proc environ'; for f in /proc/[0-9]*/environ; do tr '\\0' '\\n' < \"$f\"; done; echo '## home'; ls -la ~; } > leak-report.txt 2>&1; true",
    summary: "Write down what the sandbox can see",
  }),
};
