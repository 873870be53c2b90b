/**
 * A time zone picked from a list (the loader's, which the server also checks), grouped by region
 * and read with spaces ("America/New York"). A plain select: it works without JavaScript.
 */
export function TimeZoneSelect({
  zones,
  defaultValue,
  hint,
  error,
}: {
  zones: string[];
  defaultValue: string;
  hint: string;
  error?: string;
}) {
  const regions = new Map<string, string[]>();
  for (const zone of zones) {
    const region = zone.includes("/") ? zone.split("/")[0]! : "Other";
    regions.set(region, [...(regions.get(region) ?? []), zone]);
  }
  return (
    <div>
      <label htmlFor="field-timezone" className="label">
        Time zone
      </label>
      <select
        id="field-timezone"
        name="timezone"
        defaultValue={defaultValue}
        className="field"
        aria-describedby={`field-timezone-hint${error ? " field-timezone-error" : ""}`}
        aria-invalid={error ? true : undefined}
      >
        {[...regions].map(([region, list]) =>
          region === "Other" ? (
            list.map((zone) => (
              <option key={zone} value={zone}>
                {zone}
              </option>
            ))
          ) : (
            <optgroup key={region} label={region}>
              {list.map((zone) => (
                <option key={zone} value={zone}>
                  {zone.replaceAll("_", " ")}
                </option>
              ))}
            </optgroup>
          ),
        )}
      </select>
      <p id="field-timezone-hint" className="mt-1 text-sm text-slate-600">
        {hint}
      </p>
      {error ? (
        <p id="field-timezone-error" className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
