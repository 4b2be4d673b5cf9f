/**
 * The hidden marker that identifies a run's status comment, so Ship finds its own
 * comment again by content (never by the bot's login) and never edits anyone else's.
 */
export function statusMarker(runId: number): string {
  return `<!-- ship:run:${runId} -->`;
}

/** Every comment Ship writes carries this, so Ship never reacts to its own comments. */
export const shipCommentMarker = "<!-- ship -->";
