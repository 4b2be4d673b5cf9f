/** How a run was asked for, in words, by its `trigger`; the history's filter offers these. */
export const triggerWords: Readonly<Record<string, string>> = {
  issue_command: "/ship on an issue",
  pr_command: "/ship on a pull request",
  review_command: "/ship on a review line",
  label: "label on an issue",
};
