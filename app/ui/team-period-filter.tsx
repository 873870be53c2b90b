import type { ReactNode } from "react";
import { Form } from "react-router";

/**
 * The team and period a dashboard shows (/insights, /content/insights): a GET form, so it works
 * without JavaScript. `id` prefixes its fields' ids; `children` are hidden fields it keeps.
 */
export function TeamPeriodFilter({
  id,
  teams,
  teamId,
  period,
  allTeams = "All teams",
  className = "mb-6",
  children,
}: {
  id: string;
  teams: Array<{ id: string; name: string }>;
  teamId: string | null;
  period: string;
  allTeams?: string;
  className?: string;
  children?: ReactNode;
}) {
  return (
    <Form method="get" className={`${className} flex flex-wrap items-end gap-3`}>
      <div>
        <label htmlFor={`${id}-team`} className="label">
          Team
        </label>
        <select id={`${id}-team`} name="team" defaultValue={teamId ?? ""} className="field">
          <option value="">{allTeams}</option>
          {teams.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={`${id}-period`} className="label">
          Period
        </label>
        <select id={`${id}-period`} name="period" defaultValue={period} className="field">
          <option value="4w">Last 4 weeks</option>
          <option value="12w">Last 12 weeks</option>
          <option value="26w">Last 26 weeks</option>
        </select>
      </div>
      {children}
      <button type="submit" className="btn">
        Show
      </button>
    </Form>
  );
}
