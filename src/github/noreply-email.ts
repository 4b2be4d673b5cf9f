/**
 * A GitHub user's private commit email (`ID+login@users.noreply.<host>`): commits made
 * with it are attributed to that account without exposing a real address.
 */
export function noreplyEmail(githubUrl: string, user: { id: number; login: string }): string {
  const host = githubUrl === "https://github.com" ? "github.com" : new URL(githubUrl).hostname;
  return `${user.id}+${user.login}@users.noreply.${host}`;
}
