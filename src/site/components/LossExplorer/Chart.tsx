import type { JSX } from 'react';
import styles from './styles.module.css';

export interface ChartProps {
  title: string;
  xs: number[];
  ys: number[];
  /** The current point, marked on the curve. */
  point: { x: number; y: number };
  /** Draw the tangent of this slope through the point. */
  slope?: number;
  xLabel: string;
  testId?: string;
}

const W = 340;
const H = 210;
const M = { left: 44, right: 12, top: 12, bottom: 34 };

/** A line chart in plain SVG: the curve, axes with ticks, and the current point. */
export default function Chart({ title, xs, ys, point, slope, xLabel, testId }: ChartProps): JSX.Element {
  const finite = ys.filter(Number.isFinite);
  let lo = Math.min(...finite, point.y);
  let hi = Math.max(...finite, point.y);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (hi - lo < 1e-9) [lo, hi] = [lo - 1, hi + 1];
  const pad = (hi - lo) * 0.06;
  [lo, hi] = [lo - pad, hi + pad];
  const x0 = xs[0]!;
  const x1 = xs[xs.length - 1]!;
  const sx = (x: number) => M.left + ((x - x0) / (x1 - x0)) * (W - M.left - M.right);
  const sy = (y: number) => H - M.bottom - ((y - lo) / (hi - lo)) * (H - M.top - M.bottom);
  let d = '';
  let pen = false;
  xs.forEach((x, k) => {
    const y = ys[k]!;
    if (!Number.isFinite(y)) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(Math.min(Math.max(y, lo), hi)).toFixed(1)}`;
    pen = true;
  });
  const half = (x1 - x0) * 0.12;
  const clampY = (y: number) => Math.min(Math.max(y, lo), hi);
  return (
    <figure className={styles.chart} data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={title}>
        {ticks(lo, hi).map((t) => (
          <g key={`y${t}`}>
            <line className={styles.grid} x1={M.left} x2={W - M.right} y1={sy(t)} y2={sy(t)} />
            <text className={styles.tick} x={M.left - 6} y={sy(t) + 4} textAnchor="end">
              {label(t)}
            </text>
          </g>
        ))}
        {ticks(x0, x1).map((t) => (
          <text key={`x${t}`} className={styles.tick} x={sx(t)} y={H - M.bottom + 16} textAnchor="middle">
            {label(t)}
          </text>
        ))}
        {lo < 0 && hi > 0 && <line className={styles.zero} x1={M.left} x2={W - M.right} y1={sy(0)} y2={sy(0)} />}
        <text className={styles.axisLabel} x={(M.left + W - M.right) / 2} y={H - 4} textAnchor="middle">
          {xLabel}
        </text>
        <path className={styles.curve} d={d} />
        {slope !== undefined && Number.isFinite(slope) && (
          <line className={styles.tangent} x1={sx(point.x - half)} y1={sy(clampY(point.y - slope * half))} x2={sx(point.x + half)} y2={sy(clampY(point.y + slope * half))} />
        )}
        {Number.isFinite(point.y) && <circle className={styles.point} cx={sx(point.x)} cy={sy(point.y)} r={5} />}
      </svg>
    </figure>
  );
}

/** About five round tick values covering [lo, hi]. */
function ticks(lo: number, hi: number): number[] {
  const raw = (hi - lo) / 5;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + 1e-12; t += step) out.push(Number(t.toPrecision(12)));
  return out;
}

function label(t: number): string {
  return Math.abs(t) >= 1000 || (Math.abs(t) < 0.01 && t !== 0) ? t.toExponential(0) : String(Number(t.toPrecision(3)));
}
