import type { ProbotOctokit } from "probot";

/** The REST + GraphQL client Ship uses for GitHub (Probot's Octokit, with retry and throttling). */
export type GitHubClient = InstanceType<typeof ProbotOctokit>;
