/**
 * The live page's `./src/node/notebook/index`: the notebook helpers with the Node module's names
 * and signatures, for a cell running in the browser. `check` validates, records and formats
 * with the same pure code as the Node helper (src/node/notebook/checkRecord.ts), charts are the
 * same specs (charts.ts); `plot` sends the Vega-Lite spec to the page, which draws it with
 * vega-embed, and images are PNG-encoded here with fast-png.
 */
import { encode } from 'fast-png';
import { runCheck, type CheckSpec } from '../../../node/notebook/checkRecord';
import type { VegaLiteSpec } from '../../../node/notebook/charts';
import { grayBytes, gridLayout, type GridOptions, type PngOptions } from '../../../node/notebook/pixels';
import { VEGALITE_MIME, type MimeBundle } from '../protocol';
import { displayBundle } from './channel';

export { CHECK_MIME, CHECK_KINDS, CheckFailedError, formatCheck, type CheckKind, type CheckRecord, type CheckSpec } from '../../../node/notebook/checkRecord';
export { lineChart, seriesRows, type LineChartOptions, type Row, type VegaLiteSpec } from '../../../node/notebook/charts';
export type { GridOptions, MimeBundle, PngOptions };

/** Shows one output with several MIME types, as the Node `display` does in a tslab cell. */
export function display(data: MimeBundle): void {
  displayBundle(data);
}

/** As the Node `check`: displays the line and its record, returns `actual`, throws when it fails. */
export function check(spec: CheckSpec): number {
  return runCheck(spec, display);
}

/** Displays a Vega-Lite spec; the page renders it (interactive, through vega-embed). Await it. */
export function plot(spec: VegaLiteSpec): Promise<void> {
  const title = typeof spec.title === 'string' ? spec.title : 'chart';
  display({ [VEGALITE_MIME]: spec, 'text/plain': `<plot: ${title}>` });
  return Promise.resolve();
}

/** Not on the live page: vega renders in the page, not in the worker. */
export function renderSvg(_spec: VegaLiteSpec): Promise<string> {
  return Promise.reject(
    new Error('renderSvg is not available on the live page (the page draws plots with vega-embed): call plot(spec), or run the notebook on tslab for the SVG string'),
  );
}

/** Encodes a grayscale image as PNG bytes, as the Node `encodePng` (src/node/notebook/png.ts). */
export function encodePng(pixels: ArrayLike<number>, width: number, height: number, options: PngOptions = {}): Uint8Array {
  const gray = grayBytes(pixels, width, height, options);
  return encode({ width: gray.width, height: gray.height, data: gray.data, channels: 1, depth: 8 });
}

function base64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Displays one grayscale image as image/png. */
export function showPng(pixels: ArrayLike<number>, width: number, height: number, options: PngOptions = {}): void {
  display({ 'image/png': base64(encodePng(pixels, width, height, options)), 'text/plain': `<${width}x${height} image>` });
}

/** Displays images side by side in a grid (1 px black gap), with their labels as text. */
export function digitGrid(images: ArrayLike<number>[], options: GridOptions = {}): void {
  const grid = gridLayout(images, options);
  showPng(grid.pixels, grid.width, grid.height, grid.png);
  if (grid.labels !== undefined) console.log(grid.labels);
}
