// How a date reads, one format per kind of place, on every page and in every mail (issue 14):
//
//   a day, in a sentence or a list   "Wed, Dec 2"            (", 2027" added when not this year)
//   a moment (something happened)    "Wed, Dec 2, 2:05 PM"   (the same day, then the time)
//   a time of today, an hour         "2:05 PM", "8:00 AM"
//   a chart's axis                   "Dec 2"                 (no room for the weekday)
//
// Moments are read on the organization's clock (its time zone); a day ("YYYY-MM-DD") is already
// the organization's. "This year" is the year of the organization's today. Machine-read values
// keep ISO: <input type="date">, <time dateTime>, CSV downloads.
import { dayIn } from "./days";

const cache = new Map<string, Intl.DateTimeFormat>();
function formatter(key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  let format = cache.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", options);
    cache.set(key, format);
  }
  return format;
}

// A calendar day is formatted at its noon in UTC, so no zone moves it to the day before or after.
const noonOf = (day: string) => new Date(`${day}T12:00:00Z`);

/** "Wed, Dec 2" for a day of this year (the year of `today`), "Wed, Dec 2, 2027" otherwise. */
export function dayLabel(day: string, today: string): string {
  const withYear = day.slice(0, 4) !== today.slice(0, 4);
  return formatter(withYear ? "day-year" : "day", {
    timeZone: "UTC",
    weekday: "short",
    month: "short",
    day: "numeric",
    ...(withYear ? { year: "numeric" } : {}),
  }).format(noonOf(day));
}

/** The day of an instant on the organization's clock, as dayLabel writes it. */
export function dayOfLabel(at: Date, timezone: string, now: Date): string {
  return dayLabel(dayIn(timezone, at), dayIn(timezone, now));
}

/** "2:05 PM" on the organization's clock. */
export function timeLabel(at: Date, timezone: string): string {
  // Newer ICU puts a narrow no-break space before "PM": the server's and a browser's must read alike.
  return formatter(`time-${timezone}`, { timeZone: timezone, hour: "numeric", minute: "2-digit" })
    .format(at)
    .replace(/\s/g, " ");
}

/** "8:00 AM": an hour of the organization's clock (the digest hour). */
export function hourLabel(hour: number): string {
  return timeLabel(new Date(Date.UTC(2000, 0, 1, hour)), "UTC");
}

/** "Wed, Dec 2, 2:05 PM": when something happened, on the organization's clock. */
export function momentLabel(at: Date, timezone: string, now: Date): string {
  return `${dayOfLabel(at, timezone, now)}, ${timeLabel(at, timezone)}`;
}

/** "Dec 2": a day on a chart's axis, where the weekday has no room. */
export function axisDayLabel(day: string): string {
  return formatter("axis", { timeZone: "UTC", month: "short", day: "numeric" }).format(noonOf(day));
}
