import { markReadyForReview } from "../../../src/github/mark-ready-for-review.js";

/**
 * The GraphQL documents the tests send; the schema test validates each against
 * GitHub's published schema, so what passes against the fake would pass on GitHub.
 */
export const graphqlDocuments = {
  /** Ship's own: `/ship ready`. */
  shipMarkReadyForReview: markReadyForReview,
  pullRequestId: /* GraphQL */ `
    query PullRequestId($owner: String!, $name: String!, $number: Int!) {
      repository(owner: $owner, name: $name) {
        pullRequest(number: $number) {
          id
          isDraft
          headRefOid
          headRefName
          baseRefName
          state
          author {
            login
          }
        }
      }
    }
  `,
  pullRequestNode: /* GraphQL */ `
    query PullRequestNode($id: ID!) {
      node(id: $id) {
        __typename
        ... on PullRequest {
          number
          isDraft
          url
          repository {
            nameWithOwner
          }
        }
      }
    }
  `,
  markReadyForReview: /* GraphQL */ `
    mutation MarkReady($id: ID!) {
      markPullRequestReadyForReview(input: { pullRequestId: $id }) {
        pullRequest {
          id
          isDraft
        }
      }
    }
  `,
  convertToDraft: /* GraphQL */ `
    mutation ConvertToDraft($id: ID!) {
      convertPullRequestToDraft(input: { pullRequestId: $id }) {
        pullRequest {
          isDraft
        }
      }
    }
  `,
  viewer: /* GraphQL */ `
    query Viewer {
      viewer {
        login
        databaseId
      }
    }
  `,
} as const;
