/** The queue group of a thread's runs: pg-boss runs one job of a group at a time. */
export function threadGroup(repositoryId: number, threadNumber: number): string {
  return `${repositoryId}#${threadNumber}`;
}
