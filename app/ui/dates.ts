import { dayOfLabel } from "~/shared/date-formats";
import { dayIn, daysBetween } from "~/shared/days";

/** "today", "tomorrow" or "in 4 days": calendar days in the organization's zone, not 24-hour spans. */
export function relativeDay(when: Date | string, now: Date | string, timezone: string): string {
  const days = Math.max(0, daysBetween(dayIn(timezone, new Date(now)), dayIn(timezone, new Date(when))));
  return days === 0 ? "today" : days === 1 ? "tomorrow" : `in ${days} days`;
}

/** “It comes back on Tue, Mar 10 (in 4 days).” in the reader's organization's time zone. */
export function comesBackText(when: Date | string, now: Date | string, timezone: string, subject = "It"): string {
  const at = new Date(when);
  return `${subject} comes back on ${dayOfLabel(at, timezone, new Date(now))} (${relativeDay(at, now, timezone)}).`;
}

/**
 * What comes next after today's boost. Questions already due that did not fit in today's boost
 * are waiting, not coming back on a past date; otherwise the next question's day.
 */
export function nextBoostText(
  next: { waiting: number; nextDue: Date | string | null },
  now: Date | string,
  timezone: string,
): string | null {
  if (next.waiting > 0)
    return `${next.waiting} more question${next.waiting === 1 ? " is" : "s are"} waiting for your next boost.`;
  return next.nextDue ? comesBackText(next.nextDue, now, timezone, "Your next question") : null;
}
