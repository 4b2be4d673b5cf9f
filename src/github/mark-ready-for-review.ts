/** GraphQL: a draft pull request becomes ready for review (REST has no way to do it). */
export const markReadyForReview = /* GraphQL */ `
  mutation MarkReadyForReview($id: ID!) {
    markPullRequestReadyForReview(input: { pullRequestId: $id }) {
      pullRequest {
        isDraft
      }
    }
  }
`;
