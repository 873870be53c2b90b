// Calendar days in an organization's time zone: streaks and daily roll-ups use these.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** "2026-03-14" for the moment `at`, as the clock reads in `timezone`. */
export function dayIn(timezone: string, at: Date): string {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timezone, format);
  }
  return format.format(at);
}

/** The day before a "YYYY-MM-DD" day. */
export function previousDay(day: string): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}

/**
 * Days in a row, ending today or yesterday, on which the rep was active. Paused days (a
 * vacation hold) neither count nor break the streak.
 */
export function streakLength(activeDays: ReadonlySet<string>, today: string, pausedDays: ReadonlySet<string> = new Set()): number {
  let day = activeDays.has(today) || pausedDays.has(today) ? today : previousDay(today);
  let streak = 0;
  for (let guard = 0; guard < 5000; guard++) {
    if (activeDays.has(day)) streak++;
    else if (!pausedDays.has(day)) break;
    day = previousDay(day);
  }
  return streak;
}
