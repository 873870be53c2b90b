// Small charts drawn on the server: they read without JavaScript, and each one on a page has a
// table with the same numbers (behind "Show table"). The plot is an SVG as wide as its card, with
// x positions in percent and y in pixels, so it never scales: its labels are HTML at 12 px on a
// laptop and on a phone alike (an SVG stretched by a viewBox shrank them to about 8 px).
import type { ReactNode } from "react";
import { scaleLinear } from "@visx/scale";
import { axisDayLabel } from "~/shared/date-formats";

const PLOT_HEIGHT = 180;
const COLORS = ["#1f5fd1", "#0f9d58", "#b45309", "#b91c1c", "#7c3aed", "#0e7490"];
// At most this many labels under the x axis (they must not touch on a phone); every point is in the table.
const MAX_X_LABELS = 4;

type Series = { name: string; points: Array<{ x: string; y: number }> };

/** A week on the axis by its first day, as every chart axis writes a day ("Nov 2"). */
const shortWeek = axisDayLabel;

/** Where the i-th of n points sits across the plot, in percent (centred in its slot, like a bar). */
const across = (i: number, n: number) => ((i + 0.5) / n) * 100;

function yScale(max: number) {
  return scaleLinear({ domain: [0, max], range: [PLOT_HEIGHT, 0], nice: true });
}

/** The frame every chart shares: y labels on the left, the plot, x labels below, a legend. */
function ChartFrame({
  label,
  y,
  yFormat,
  xs,
  xLabel,
  target,
  legend,
  children,
}: {
  label: string;
  y: ReturnType<typeof yScale>;
  yFormat: (v: number) => string;
  xs: string[];
  xLabel: (x: string) => string;
  target?: { value: number; label: string } | null;
  legend?: Array<{ name: string; color: string }>;
  children: ReactNode;
}) {
  const step = Math.max(1, Math.ceil(xs.length / MAX_X_LABELS));
  const ticks = y.ticks(4);
  return (
    <figure className="my-2">
      <div className="flex gap-2">
        <div
          data-axis="y"
          aria-hidden="true"
          className="relative w-10 shrink-0 text-xs text-slate-700"
          style={{ height: PLOT_HEIGHT }}
        >
          {ticks.map((t) => (
            <span key={t} className="absolute right-0 -translate-y-1/2 leading-none" style={{ top: y(t) }}>
              {yFormat(t)}
            </span>
          ))}
        </div>
        <div className="relative min-w-0 flex-1">
          <svg width="100%" height={PLOT_HEIGHT} role="img" aria-label={label} className="block overflow-visible">
            {ticks.map((t) => (
              <line key={t} x1="0" x2="100%" y1={y(t)} y2={y(t)} stroke="#e2e8f0" strokeWidth={1} />
            ))}
            <line x1="0" x2="100%" y1={PLOT_HEIGHT} y2={PLOT_HEIGHT} stroke="#94a3b8" strokeWidth={1} />
            {children}
            {target ? (
              <line
                x1="0"
                x2="100%"
                y1={y(target.value)}
                y2={y(target.value)}
                stroke="#b91c1c"
                strokeWidth={1.5}
                strokeDasharray="6 4"
              />
            ) : null}
          </svg>
          {target ? (
            <span
              className="absolute right-0 -translate-y-full rounded bg-white/90 px-1 text-xs font-medium text-red-800"
              style={{ top: y(target.value) - 2 }}
            >
              {target.label}
            </span>
          ) : null}
          <div data-axis="x" aria-hidden="true" className="relative mt-1 h-4 text-xs text-slate-700">
            {xs.map((x, i) => {
              if (i % step !== 0) return null;
              const at = across(i, xs.length);
              // The last label hangs inward, so it never reaches past the card's edge.
              const shift = i === xs.length - 1 ? "-100%" : "-50%";
              return (
                <span
                  key={x}
                  className="absolute whitespace-nowrap leading-none"
                  style={{ left: `${at}%`, transform: `translateX(${shift})` }}
                >
                  {xLabel(x)}
                </span>
              );
            })}
          </div>
        </div>
      </div>
      {legend && legend.length > 1 ? (
        <figcaption className="mt-2 flex flex-wrap gap-3 text-xs">
          {legend.map((s) => (
            <span key={s.name} className="flex items-center gap-1">
              <span className="inline-block h-2 w-4 rounded" style={{ background: s.color }} aria-hidden="true" />
              {s.name}
            </span>
          ))}
        </figcaption>
      ) : null}
    </figure>
  );
}

const asPercent = (v: number) => `${Math.round(v * 100)}%`;

export function LineChart({
  label,
  series,
  xs,
  percent = true,
  xLabel = shortWeek,
  target,
}: {
  label: string;
  series: Series[];
  xs: string[];
  percent?: boolean;
  xLabel?: (x: string) => string;
  /** A goal to draw as a dashed line across the plot (same units as the values). */
  target?: number | null;
}) {
  const max = percent ? 1 : Math.max(1, ...series.flatMap((s) => s.points.map((p) => p.y)), target ?? 0);
  const y = yScale(max);
  const position = new Map(xs.map((x, i) => [x, across(i, xs.length)]));
  return (
    <ChartFrame
      label={label}
      y={y}
      yFormat={percent ? asPercent : String}
      xs={xs}
      xLabel={xLabel}
      target={
        target === undefined || target === null
          ? null
          : { value: target, label: `Target ${percent ? asPercent(target) : target}` }
      }
      legend={series.map((s, i) => ({ name: s.name, color: COLORS[i % COLORS.length]! }))}
    >
      {series.map((s, i) => {
        const color = COLORS[i % COLORS.length];
        const points = s.points.filter((p) => position.has(p.x));
        return (
          <g key={s.name}>
            {points.slice(1).map((p, j) => (
              <line
                key={p.x}
                x1={`${position.get(points[j]!.x)}%`}
                y1={y(points[j]!.y)}
                x2={`${position.get(p.x)}%`}
                y2={y(p.y)}
                stroke={color}
                strokeWidth={2.5}
                strokeLinecap="round"
              />
            ))}
            {points.map((p) => (
              <circle key={p.x} cx={`${position.get(p.x)}%`} cy={y(p.y)} r={3} fill={color} />
            ))}
          </g>
        );
      })}
    </ChartFrame>
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
  const y = yScale(percent ? 1 : Math.max(1, ...bars.map((b) => b.y)));
  const slot = 100 / Math.max(1, bars.length);
  return (
    <ChartFrame label={label} y={y} yFormat={percent ? asPercent : String} xs={bars.map((b) => b.x)} xLabel={xLabel}>
      {bars.map((b, i) => (
        <rect
          key={b.x}
          x={`${i * slot + slot * 0.15}%`}
          width={`${slot * 0.7}%`}
          y={y(b.y)}
          height={PLOT_HEIGHT - y(b.y)}
          fill={COLORS[0]}
          rx={2}
        />
      ))}
    </ChartFrame>
  );
}

/** A recall value as a background color: red below the target, amber near it, green above. */
export function heatColor(value: number, target: number): string {
  if (value < target - 0.15) return "#fecaca";
  if (value < target) return "#fde68a";
  return "#bbf7d0";
}
