import { Form } from "react-router";

/** The team and period of a content insights view: a GET form, so it works without JavaScript. */
export function ContentFilterForm({
  d,
  version,
}: {
  d: { scope: { teams: Array<{ id: string; name: string }>; teamId: string | null }; period: string };
  version?: string | null;
}) {
  return (
    <Form method="get" className="mb-6 flex flex-wrap items-end gap-3">
      <div>
        <label htmlFor="content-team" className="label">
          Team
        </label>
        <select id="content-team" name="team" defaultValue={d.scope.teamId ?? ""} className="field">
          <option value="">All teams</option>
          {d.scope.teams.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor="content-period" className="label">
          Period
        </label>
        <select id="content-period" name="period" defaultValue={d.period} className="field">
          <option value="4w">Last 4 weeks</option>
          <option value="12w">Last 12 weeks</option>
          <option value="26w">Last 26 weeks</option>
        </select>
      </div>
      {version ? <input type="hidden" name="version" value={version} /> : null}
      <button type="submit" className="btn">
        Show
      </button>
    </Form>
  );
}
