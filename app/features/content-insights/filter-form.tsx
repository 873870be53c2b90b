import { TeamPeriodFilter } from "~/ui/team-period-filter";

/** The team and period of a content insights view (and the lesson version it keeps, if any). */
export function ContentFilterForm({
  d,
  version,
}: {
  d: {
    /** fromWeek: the Monday the period starts on, as the page writes a day; asOf: when the figures were counted. */
    scope: { teams: Array<{ id: string; name: string }>; teamId: string | null; fromWeek: string; asOf: string };
    period: string;
  };
  version?: string | null;
}) {
  return (
    <>
      <TeamPeriodFilter id="content" teams={d.scope.teams} teamId={d.scope.teamId} period={d.period}>
        {version ? <input type="hidden" name="version" value={version} /> : null}
      </TeamPeriodFilter>
      <p className="-mt-2 mb-4 text-sm text-slate-600" data-testid="period-start">
        Whole weeks, Monday to Sunday: from the week of {d.scope.fromWeek}, this week included. Figures as of{" "}
        {d.scope.asOf}.
      </p>
    </>
  );
}
