import { DAY_MS as DAY } from "~/features/activity/days";

/** “It comes back on Tue, Mar 10 (in 4 days).” in the reader's organization's time zone. */
export function comesBackText(when: Date | string, now: Date | string, timezone: string, subject = "It"): string {
  const at = new Date(when);
  const days = Math.max(0, Math.round((at.getTime() - new Date(now).getTime()) / DAY));
  const date = at.toLocaleDateString("en-US", { timeZone: timezone, weekday: "short", month: "short", day: "numeric" });
  const relative = days === 0 ? "today" : days === 1 ? "tomorrow" : `in ${days} days`;
  return `${subject} comes back on ${date} (${relative}).`;
}
