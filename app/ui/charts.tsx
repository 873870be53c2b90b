// Small SVG charts drawn on the server with visx: they read without JavaScript, and each one
// on a page sits next to a table with the same numbers.
import { AxisBottom, AxisLeft } from "@visx/axis";
import { Group } from "@visx/group";
import { scaleBand, scaleLinear, scalePoint } from "@visx/scale";
import { Bar, LinePath } from "@visx/shape";
import { axisDayLabel } from "~/shared/date-formats";

const WIDTH = 560;
const HEIGHT = 220;
const MARGIN = { top: 12, right: 12, bottom: 36, left: 44 };
const COLORS = ["#1f5fd1", "#0f9d58", "#d97706", "#b91c1c", "#7c3aed", "#0891b2"];

type Series = { name: string; points: Array<{ x: string; y: number }> };

/** A week on the axis by its first day, as every chart axis writes a day ("Nov 2"). */
const shortWeek = axisDayLabel;

export function LineChart({
  label,
  series,
  xs,
  percent = true,
  xLabel = shortWeek,
}: {
  label: string;
  series: Series[];
  xs: string[];
  percent?: boolean;
  xLabel?: (x: string) => string;
}) {
  const innerW = WIDTH - MARGIN.left - MARGIN.right;
  const innerH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const max = percent ? 1 : Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.y)));
  const x = scalePoint({ domain: xs, range: [0, innerW], padding: 0.3 });
  const y = scaleLinear({ domain: [0, max], range: [innerH, 0], nice: true });
  return (
    <figure className="my-2">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} className="h-auto w-full max-w-2xl">
        <Group left={MARGIN.left} top={MARGIN.top}>
          {series.map((s, i) => (
            <LinePath
              key={s.name}
              data={s.points}
              x={(p) => x(p.x) ?? 0}
              y={(p) => y(p.y)}
              stroke={COLORS[i % COLORS.length]}
              strokeWidth={2.5}
            />
          ))}
          {series.map((s, i) =>
            s.points.map((p) => (
              <circle key={`${s.name}-${p.x}`} cx={x(p.x) ?? 0} cy={y(p.y)} r={3} fill={COLORS[i % COLORS.length]} />
            )),
          )}
          <AxisLeft
            scale={y}
            numTicks={4}
            tickFormat={(v) => (percent ? `${Math.round(Number(v) * 100)}%` : String(v))}
            tickLabelProps={{ fontSize: 11, fill: "#334155" }}
          />
          <AxisBottom
            top={innerH}
            scale={x}
            tickFormat={xLabel}
            numTicks={xs.length}
            tickLabelProps={{ fontSize: 10, fill: "#334155" }}
          />
        </Group>
      </svg>
      {series.length > 1 ? (
        <figcaption className="flex flex-wrap gap-3 text-xs">
          {series.map((s, i) => (
            <span key={s.name} className="flex items-center gap-1">
              <span
                className="inline-block h-2 w-4 rounded"
                style={{ background: COLORS[i % COLORS.length] }}
                aria-hidden="true"
              />
              {s.name}
            </span>
          ))}
        </figcaption>
      ) : null}
    </figure>
  );
}

export function BarChart({
  label,
  bars,
  percent = false,
  xLabel = shortWeek,
}: {
  label: string;
  bars: Array<{ x: string; y: number }>;
  percent?: boolean;
  xLabel?: (x: string) => string;
}) {
  const innerW = WIDTH - MARGIN.left - MARGIN.right;
  const innerH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const x = scaleBand({ domain: bars.map((b) => b.x), range: [0, innerW], padding: 0.25 });
  const y = scaleLinear({
    domain: [0, percent ? 1 : Math.max(1, ...bars.map((b) => b.y))],
    range: [innerH, 0],
    nice: true,
  });
  return (
    <figure className="my-2">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} className="h-auto w-full max-w-2xl">
        <Group left={MARGIN.left} top={MARGIN.top}>
          {bars.map((b) => (
            <Bar
              key={b.x}
              x={x(b.x)}
              y={y(b.y)}
              width={x.bandwidth()}
              height={innerH - y(b.y)}
              fill={COLORS[0]}
              rx={2}
            />
          ))}
          <AxisLeft
            scale={y}
            numTicks={4}
            tickFormat={(v) => (percent ? `${Math.round(Number(v) * 100)}%` : String(v))}
            tickLabelProps={{ fontSize: 11, fill: "#334155" }}
          />
          <AxisBottom top={innerH} scale={x} tickFormat={xLabel} tickLabelProps={{ fontSize: 10, fill: "#334155" }} />
        </Group>
      </svg>
    </figure>
  );
}

/** A recall value as a background color: red below the target, amber near it, green above. */
export function heatColor(value: number, target: number): string {
  if (value < target - 0.15) return "#fecaca";
  if (value < target) return "#fde68a";
  return "#bbf7d0";
}
