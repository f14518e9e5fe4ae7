/**
 * Vega-Lite specs for the notebooks' charts: pure, so the Node helpers (`plot.ts`) and the live
 * pages' browser helpers (src/site/live) build the same spec from the same call.
 */
import type { TopLevelSpec } from 'vega-lite';

export type VegaLiteSpec = TopLevelSpec;

export type Row = Record<string, number | string>;

export interface LineChartOptions {
  data: Row[];
  /** Field names of the axes, and of the series (one line per value) if any. */
  x: string;
  y: string;
  color?: string;
  title?: string;
  /** Axis titles; default the field names. */
  xTitle?: string;
  yTitle?: string;
  /** Plot y on a log scale (loss curves). */
  logY?: boolean;
  width?: number;
  height?: number;
}

/** A line chart spec: `await plot(lineChart({ data, x: 'epoch', y: 'loss', color: 'run' }))`. */
export function lineChart(o: LineChartOptions): VegaLiteSpec {
  const spec: VegaLiteSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: o.width ?? 420,
    height: o.height ?? 260,
    background: 'white',
    data: { values: o.data },
    mark: { type: 'line', clip: true },
    encoding: {
      x: { field: o.x, type: 'quantitative', title: o.xTitle ?? o.x },
      y: { field: o.y, type: 'quantitative', title: o.yTitle ?? o.y, scale: o.logY ? { type: 'log' } : { zero: false } },
      ...(o.color ? { color: { field: o.color, type: 'nominal', title: o.color } } : {}),
    },
  };
  return o.title ? { ...spec, title: o.title } : spec;
}

/**
 * Long-format rows from one x array and named y arrays, for `lineChart({ ..., color: 'series' })`:
 * `seriesRows(ps, { mse: a, mae: b })` gives `{ x, y, series }` rows.
 */
export function seriesRows(x: ArrayLike<number>, ys: Record<string, ArrayLike<number>>): Row[] {
  const rows: Row[] = [];
  for (const [series, y] of Object.entries(ys)) {
    if (y.length !== x.length) throw new RangeError(`seriesRows: ${series} has ${y.length} values, x has ${x.length}`);
    for (let i = 0; i < x.length; i++) rows.push({ x: x[i] as number, y: y[i] as number, series });
  }
  return rows;
}
