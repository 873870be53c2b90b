/** The query string that keeps a content insights view's filter on its links and downloads. */
export function filterQuery(filter: { teamId: string | null; period: string; version?: string | null }): string {
  return new URLSearchParams({
    ...(filter.teamId ? { team: filter.teamId } : {}),
    period: filter.period,
    ...(filter.version ? { version: filter.version } : {}),
  }).toString();
}
