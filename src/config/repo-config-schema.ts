import { z } from "zod";
import { isValidBranchName } from "../git/is-valid-branch-name.js";
import { budgetSchema } from "./budget.js";
import { modelIdPattern } from "./env-schema.js";

const duration = z
  .string()
  .regex(/^\d+(s|m|h)$/)
  .transform(
    (value) =>
      Number(value.slice(0, -1)) *
      { s: 1_000, m: 60_000, h: 3_600_000 }[value.slice(-1) as "s" | "m" | "h"],
  );

/**
 * `.github/ship.yml` on the repository's default branch: how Ship works in this
 * repository. Every key is optional; unknown keys are refused (a typo should not be
 * silently ignored).
 */
export const repoConfigSchema = z
  .object({
    model: z
      .string()
      .regex(modelIdPattern)
      .optional()
      .meta({ expected: "provider/model, e.g. anthropic/claude-sonnet-4-5" }),
    label: z.string().trim().min(1).max(50).optional().meta({ expected: "a label name" }),
    branchPrefix: z
      .string()
      .regex(/^[A-Za-z0-9._/-]{1,50}$/)
      // Whatever the task, the branch it starts must be a name git and GitHub accept.
      .refine((prefix) => isValidBranchName(`${prefix}task-1`))
      .optional()
      .meta({ expected: "a branch name prefix such as ship/ or bot/" }),
    draft: z.boolean().optional().meta({ expected: "true or false" }),
    budget: budgetSchema.optional().meta({ expected: "a budget such as $2 or 300k tokens" }),
    timeout: duration.optional().meta({ expected: "a duration such as 20m, 90s or 1h" }),
    // One string is one command: `setup: npm ci` reads as naturally as a list of one.
    setup: z
      .union([
        z
          .string()
          .min(1)
          .max(1_000)
          .transform((command) => [command]),
        z.array(z.string().min(1).max(1_000)).max(20),
      ])
      .optional()
      .meta({ expected: "a shell command or a list of them" }),
    instructions: z.string().max(10_000).optional().meta({ expected: "text for the agent" }),
    permission: z
      .enum(["write", "maintain", "admin"])
      .optional()
      .meta({ expected: "write, maintain or admin" }),
    allow: z
      .array(z.string().regex(/^[A-Za-z0-9-]+(\[bot\])?$/))
      .optional()
      .meta({ expected: "a list of GitHub logins" }),
    actAs: z.enum(["user", "app"]).optional().meta({ expected: "user or app" }),
    closeIssue: z
      .boolean()
      .optional()
      .meta({ expected: "true or false (default true: the pull request says Fixes #N)" }),
    // The repository's kill switch: true, or the reason people are shown.
    paused: z
      .union([z.boolean(), z.string().trim().min(1).max(500)])
      .optional()
      .meta({ expected: "true, false, or the reason new runs are paused" }),
    // Globs of paths Ship never pushes, on top of `.github/` (which is always protected).
    protectedPaths: z
      .array(
        z
          .string()
          .min(1)
          .max(200)
          // Paths are relative to the repository's root; a negation could not un-protect.
          .regex(/^[^/!\\]/),
      )
      .max(100)
      .optional()
      .meta({ expected: "a list of path globs such as scripts/** or package.json" }),
  })
  .strict();

export type RepoConfig = z.output<typeof repoConfigSchema>;
