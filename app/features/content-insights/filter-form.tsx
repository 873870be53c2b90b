import { TeamPeriodFilter } from "~/ui/team-period-filter";

/** The team and period of a content insights view (and the lesson version it keeps, if any). */
export function ContentFilterForm({
  d,
  version,
}: {
  d: { scope: { teams: Array<{ id: string; name: string }>; teamId: string | null }; period: string };
  version?: string | null;
}) {
  return (
    <TeamPeriodFilter id="content" teams={d.scope.teams} teamId={d.scope.teamId} period={d.period}>
      {version ? <input type="hidden" name="version" value={version} /> : null}
    </TeamPeriodFilter>
  );
}
