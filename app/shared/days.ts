// Calendar days ("YYYY-MM-DD") in an organization's time zone: streaks, roll-ups, weeks and
// holds all use these.
export const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** "2026-03-14" for the moment `at`, as the clock reads in `timezone`. */
export function dayIn(timezone: string, at: Date): string {
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", {
      timeZone: timezone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    formatters.set(timezone, format);
  }
  return format.format(at);
}

const DAY_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a "YYYY-MM-DD" that names a day on the calendar (no 2027-02-30, no month 13). */
export function isCalendarDay(value: string): boolean {
  const match = DAY_SHAPE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** The day `days` after (or before, when negative) a "YYYY-MM-DD" day. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function previousDay(day: string): string {
  return addDays(day, -1);
}

/** Whole days from one day to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / DAY_MS);
}

/** The Monday that starts the week of a day. */
export function weekOf(day: string): string {
  const back = (new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -back);
}

/**
 * Days in a row, ending today or yesterday, on which the rep was active. Paused days (a
 * vacation hold) neither count nor break the streak.
 */
export function streakLength(
  activeDays: ReadonlySet<string>,
  today: string,
  pausedDays: ReadonlySet<string> = new Set(),
): number {
  let day = activeDays.has(today) || pausedDays.has(today) ? today : previousDay(today);
  let streak = 0;
  for (let guard = 0; guard < 5000; guard++) {
    if (activeDays.has(day)) streak++;
    else if (!pausedDays.has(day)) break;
    day = previousDay(day);
  }
  return streak;
}

const clocks = new Map<string, Intl.DateTimeFormat>();

/**
 * The instant the clock in `timezone` reads `hour:minute` on `day` ("YYYY-MM-DD"). An hour that a
 * daylight-saving change skips comes out an hour later.
 */
export function instantIn(timezone: string, day: string, hour: number, minute = 0): Date {
  let clock = clocks.get(timezone);
  if (!clock) {
    clock = new Intl.DateTimeFormat("en-CA", {
      timeZone: timezone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    clocks.set(timezone, clock);
  }
  const wanted = Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)), hour, minute);
  // What the zone's clock reads at an instant, taken as if it were UTC: the difference is the offset.
  const reads = (at: number) => {
    const parts = Object.fromEntries(clock.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
    return Date.UTC(+parts.year!, +parts.month! - 1, +parts.day!, +parts.hour!, +parts.minute!, +parts.second!);
  };
  let at = wanted - (reads(wanted) - wanted);
  // A second pass settles the offset when the first guess fell on the other side of a change.
  at = wanted - (reads(at) - at);
  return new Date(at);
}
