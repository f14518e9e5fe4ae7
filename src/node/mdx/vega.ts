/**
 * A Vega-Lite v5 spec -> SVG at build time, headless (vega 5 / vega-lite 5: CommonJS
 * builds, the same the notebooks use; the SVG is deterministic).
 */
import * as vega from 'vega';
import * as vl from 'vega-lite';

export async function vegaLiteToSvg(spec: unknown, label: string): Promise<string> {
  const parsed: unknown = typeof spec === 'string' ? JSON.parse(spec) : spec;
  try {
    const compiled = vl.compile(parsed as vl.TopLevelSpec).spec;
    const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
    const svg = await view.toSVG();
    view.finalize();
    return svg;
  } catch (e) {
    throw new Error(`${label}: the Vega-Lite spec does not render (${(e as Error).message})`, { cause: e });
  }
}
