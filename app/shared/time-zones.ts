// The time zones an organization may pick: the IANA names this runtime knows, the same list the
// page offers and the server checks. UTC is added: Intl.supportedValuesOf leaves it out.
export const TIME_ZONES: readonly string[] = ["UTC", ...Intl.supportedValuesOf("timeZone")];

/**
 * The zones a form offers: the list, plus the organization's saved zone when the list lacks it
 * (an alias such as US/Pacific typed before there was a list), so saving other settings keeps it.
 */
export function timeZoneChoices(saved?: string): string[] {
  return saved && !TIME_ZONES.includes(saved) ? [saved, ...TIME_ZONES] : [...TIME_ZONES];
}

export const TIME_ZONE_ERROR = "Pick your time zone from the list, e.g. America/New_York or Europe/London.";
