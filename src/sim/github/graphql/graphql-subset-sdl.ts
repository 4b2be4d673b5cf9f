/**
 * The part of GitHub's GraphQL schema the fake executes, with GitHub's own names and
 * types (a test checks every field here against @octokit/graphql-schema). Documents
 * asking for anything else get a validation error, as GitHub gives for unknown fields.
 */
export const graphqlSubsetSdl = /* GraphQL */ `
  scalar URI
  scalar DateTime
  scalar GitObjectID

  interface Node {
    id: ID!
  }

  interface Actor {
    avatarUrl(size: Int): URI!
    login: String!
    resourcePath: URI!
    url: URI!
  }

  interface RepositoryOwner {
    avatarUrl(size: Int): URI!
    id: ID!
    login: String!
    resourcePath: URI!
    url: URI!
  }

  type User implements Actor & Node & RepositoryOwner {
    avatarUrl(size: Int): URI!
    databaseId: Int
    id: ID!
    login: String!
    name: String
    resourcePath: URI!
    url: URI!
  }

  type Organization implements Actor & Node & RepositoryOwner {
    avatarUrl(size: Int): URI!
    databaseId: Int
    id: ID!
    login: String!
    name: String
    resourcePath: URI!
    url: URI!
  }

  type Bot implements Actor & Node {
    avatarUrl(size: Int): URI!
    databaseId: Int
    id: ID!
    login: String!
    resourcePath: URI!
    url: URI!
  }

  type Ref implements Node {
    id: ID!
    name: String!
    prefix: String!
  }

  enum PullRequestState {
    CLOSED
    MERGED
    OPEN
  }

  enum IssueState {
    CLOSED
    OPEN
  }

  type Repository implements Node {
    databaseId: Int
    defaultBranchRef: Ref
    id: ID!
    isPrivate: Boolean!
    issue(number: Int!): Issue
    name: String!
    nameWithOwner: String!
    owner: RepositoryOwner!
    pullRequest(number: Int!): PullRequest
    url: URI!
  }

  type PullRequest implements Node {
    author: Actor
    baseRefName: String!
    baseRefOid: GitObjectID!
    body: String!
    closed: Boolean!
    createdAt: DateTime!
    databaseId: Int
    headRefName: String!
    headRefOid: GitObjectID!
    headRepository: Repository
    id: ID!
    isDraft: Boolean!
    merged: Boolean!
    number: Int!
    permalink: URI!
    repository: Repository!
    state: PullRequestState!
    title: String!
    updatedAt: DateTime!
    url: URI!
  }

  type Issue implements Node {
    author: Actor
    body: String!
    createdAt: DateTime!
    databaseId: Int
    id: ID!
    number: Int!
    repository: Repository!
    state: IssueState!
    title: String!
    url: URI!
  }

  type IssueComment implements Node {
    author: Actor
    body: String!
    createdAt: DateTime!
    databaseId: Int
    id: ID!
    url: URI!
  }

  type PullRequestReviewComment implements Node {
    author: Actor
    body: String!
    createdAt: DateTime!
    databaseId: Int
    id: ID!
    path: String!
    url: URI!
  }

  type Query {
    node(id: ID!): Node
    nodes(ids: [ID!]!): [Node]!
    repository(followRenames: Boolean = true, name: String!, owner: String!): Repository
    viewer: User!
  }

  input MarkPullRequestReadyForReviewInput {
    clientMutationId: String
    pullRequestId: ID!
  }

  type MarkPullRequestReadyForReviewPayload {
    clientMutationId: String
    pullRequest: PullRequest
  }

  input ConvertPullRequestToDraftInput {
    clientMutationId: String
    pullRequestId: ID!
  }

  type ConvertPullRequestToDraftPayload {
    clientMutationId: String
    pullRequest: PullRequest
  }

  type Mutation {
    convertPullRequestToDraft(input: ConvertPullRequestToDraftInput!): ConvertPullRequestToDraftPayload
    markPullRequestReadyForReview(
      input: MarkPullRequestReadyForReviewInput!
    ): MarkPullRequestReadyForReviewPayload
  }
`;
