/** The repository a trigger happened in. */
export interface TriggerRepository {
  id: number;
  owner: string;
  name: string;
  fullName: string;
  defaultBranch: string;
}

/** Who did it. `isBot` covers apps (Ship itself included) and bot accounts. */
export interface TriggerSender {
  login: string;
  id: number;
  isBot: boolean;
}

/**
 * A webhook that may start or steer a run, parsed once at the boundary: nothing later
 * reads the raw payload.
 */
export type Trigger =
  | (TriggerBase & {
      kind: "issue_comment";
      comment: { id: number; body: string };
      /** Set when the comment is on a line of a pull request's diff (a review comment). */
      reviewLine?: ReviewLine;
    })
  | (TriggerBase & {
      kind: "label";
      label: string;
      /** The issue's `updated_at` in the payload: when the label was added. */
      labeledAt: string;
    });

/** Where on a pull request's diff a review comment sits. */
export interface ReviewLine {
  path: string;
  line: number | null;
  startLine: number | null;
  diffHunk: string;
}

interface TriggerBase {
  deliveryId: string;
  installationId: number;
  repository: TriggerRepository;
  sender: TriggerSender;
  thread: { number: number; title: string; body: string; isPullRequest: boolean };
}
