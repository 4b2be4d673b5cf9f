import type { ApplicationFunction } from "probot";
import type { UserTokens } from "./identity/create-user-tokens.js";
import { handleAuthorizationRevoked } from "./identity/handle-authorization-revoked.js";
import { handleInstallationEvent } from "./installations/handle-installation-event.js";
import { handleCommentEdited } from "./triggers/handle-comment-edited.js";
import {
  handleIssueComment,
  handleReviewComment,
  type IngestDependencies,
} from "./triggers/handle-issue-comment.js";
import { handleIssueLabeled } from "./triggers/handle-issue-labeled.js";

/** What the webhook handlers need; passed in, never imported as globals. */
export type AppDependencies = IngestDependencies & { tokens: UserTokens; triggerLabel: string };

/** The Probot app: which webhook goes to which handler. No logic lives here. */
export function createShipApp(deps: AppDependencies): ApplicationFunction {
  return (app) => {
    app.on("issue_comment.created", handleIssueComment(deps));
    app.on("issues.labeled", handleIssueLabeled(deps));
    app.on("pull_request_review_comment.created", handleReviewComment(deps));
    app.on(
      ["issue_comment.edited", "pull_request_review_comment.edited"],
      handleCommentEdited(deps),
    );
    app.on(["installation", "installation_repositories"], handleInstallationEvent(deps));
    app.on("github_app_authorization.revoked", handleAuthorizationRevoked(deps));
  };
}
