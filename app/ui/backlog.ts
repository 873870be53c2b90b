/**
 * What a boost says about due questions that do not fit in it (decision 023): how many wait, and
 * how many more days of boosts they take at today's size, the least remembered first.
 */
export function waitingBeyondText(backlog: { waiting: number; moreDays: number }): string | null {
  const { waiting, moreDays } = backlog;
  if (waiting <= 0) return null;
  const days = moreDays <= 1 ? "your next boost" : `your boosts of the next ${moreDays} days`;
  return `${waiting} more question${waiting === 1 ? " is" : "s are"} waiting beyond today's: ${days}, the ones you are most likely to have forgotten first.`;
}
