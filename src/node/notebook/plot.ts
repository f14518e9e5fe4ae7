/**
 * Plots in notebooks: a Vega-Lite spec compiled with vega-lite 5 and rendered to SVG by vega 5
 * (both CommonJS, so tslab can load them; the SVG is byte-identical from run to run).
 * The output holds the SVG and the Vega-Lite JSON, so Jupyter shows the picture and the docs
 * site may choose either.
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { VegaLiteSpec } from './charts';
import { display } from './display';

export { lineChart, seriesRows, type LineChartOptions, type Row, type VegaLiteSpec } from './charts';

/** Renders a Vega-Lite spec to an SVG string (headless, renderer 'none'). */
export async function renderSvg(spec: VegaLiteSpec): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Displays a Vega-Lite spec as image/svg+xml plus application/vnd.vegalite.v5+json. Await it. */
export async function plot(spec: VegaLiteSpec): Promise<void> {
  const svg = await renderSvg(spec);
  const title = typeof spec.title === 'string' ? spec.title : 'chart';
  display({ 'image/svg+xml': svg, 'application/vnd.vegalite.v5+json': spec, 'text/plain': `<plot: ${title}>` });
}
