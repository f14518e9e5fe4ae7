/**
 * The live page's `./src/node/notebook/index`: the notebook helpers with the Node module's names
 * and signatures, for a cell running in the browser. `check` validates, records and formats
 * with the same pure code as the Node helper (src/node/notebook/checkRecord.ts), charts are the
 * same specs (charts.ts); `plot` sends the Vega-Lite spec to the page, which draws it with
 * vega-embed, and images are PNG-encoded here with fast-png.
 */
import { encode } from 'fast-png';
import { CHECK_MIME, checkRecord, formatCheck, type CheckSpec } from '../../../node/notebook/checkRecord';
import type { VegaLiteSpec } from '../../../node/notebook/charts';
import { VEGALITE_MIME, type MimeBundle } from '../protocol';
import { displayBundle } from './channel';

export { CHECK_MIME, CHECK_KINDS, formatCheck, type CheckKind, type CheckRecord, type CheckSpec } from '../../../node/notebook/checkRecord';
export { lineChart, seriesRows, type LineChartOptions, type Row, type VegaLiteSpec } from '../../../node/notebook/charts';
export type { MimeBundle };

/** Shows one output with several MIME types, as the Node `display` does in a tslab cell. */
export function display(data: MimeBundle): void {
  displayBundle(data);
}

export class CheckFailedError extends Error {
  override name = 'CheckFailedError';
}

/** As the Node `check`: displays the line and its record, returns `actual`, throws when it fails. */
export function check(spec: CheckSpec): number {
  const record = checkRecord(spec);
  const line = formatCheck(record);
  display({ 'text/plain': line, [CHECK_MIME]: record });
  if (!record.pass) throw new CheckFailedError(`check failed: ${line.slice(2)}`);
  return record.actual;
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

export interface PngOptions {
  /** Value drawn as white; default 255. Values are clamped to [0, max]. */
  max?: number;
  /** Integer upscaling factor (nearest neighbour); default 1. */
  scale?: number;
}

/** Encodes a grayscale image as PNG bytes, as the Node `encodePng` (src/node/notebook/png.ts). */
export function encodePng(pixels: ArrayLike<number>, width: number, height: number, options: PngOptions = {}): Uint8Array {
  const { max = 255, scale = 1 } = options;
  if (pixels.length !== width * height) throw new RangeError(`encodePng: pixels must have width * height = ${width * height} values, got ${pixels.length}`);
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`encodePng: scale must be a positive integer, got ${scale}`);
  const out = new Uint8Array(width * scale * height * scale);
  for (let y = 0; y < height * scale; y++) {
    for (let x = 0; x < width * scale; x++) {
      const v = pixels[Math.floor(y / scale) * width + Math.floor(x / scale)] ?? 0;
      out[y * width * scale + x] = Math.round(255 * Math.min(1, Math.max(0, v / max)));
    }
  }
  return encode({ width: width * scale, height: height * scale, data: out, channels: 1, depth: 8 });
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

export interface GridOptions extends PngOptions {
  width?: number;
  height?: number;
  cols?: number;
  labels?: ArrayLike<string | number>;
}

/** Displays images side by side in a grid (1 px black gap), with their labels as text. */
export function digitGrid(images: ArrayLike<number>[], options: GridOptions = {}): void {
  const { width = 28, height = 28, cols = 10, labels, ...png } = options;
  const rows = Math.ceil(images.length / cols);
  const W = cols * (width + 1) - 1;
  const H = rows * (height + 1) - 1;
  const grid = new Float64Array(W * H);
  images.forEach((img, i) => {
    if (img.length !== width * height) throw new RangeError(`digitGrid: image ${i} must have ${width * height} values, got ${img.length}`);
    const ox = (i % cols) * (width + 1);
    const oy = Math.floor(i / cols) * (height + 1);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) grid[(oy + y) * W + ox + x] = img[y * width + x] ?? 0;
  });
  showPng(grid, W, H, { ...png, max: png.max ?? 255 });
  if (labels) {
    const cells = Array.from(labels, String);
    const lines: string[] = [];
    for (let r = 0; r < rows; r++) lines.push(cells.slice(r * cols, (r + 1) * cols).join(' '));
    console.log(lines.join('\n'));
  }
}
