/**
 * Grayscale images (MNIST digits, weight maps) as PNG outputs.
 * Pixels are row-major; `max` is the value drawn white (255 for bytes, 1 for [0, 1] floats).
 * The layout (gray levels, grids) is pixels.ts, shared with the live pages' browser helpers.
 */
import { PNG } from 'pngjs';
import { display } from './display';
import { grayBytes, gridLayout, type GridOptions, type PngOptions } from './pixels';

export type { GridOptions, PngOptions } from './pixels';

/** Encodes a grayscale image as PNG bytes (deterministic: same pixels, same bytes). */
export function encodePng(pixels: ArrayLike<number>, width: number, height: number, options: PngOptions = {}): Buffer {
  const gray = grayBytes(pixels, width, height, options);
  const png = new PNG({ width: gray.width, height: gray.height, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  png.data = Buffer.from(gray.data.buffer, gray.data.byteOffset, gray.data.byteLength);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

/** Displays one grayscale image as image/png. */
export function showPng(pixels: ArrayLike<number>, width: number, height: number, options: PngOptions = {}): void {
  const png = encodePng(pixels, width, height, options);
  display({ 'image/png': png.toString('base64'), 'text/plain': `<${width}x${height} image>` });
}

/** Displays images side by side in a grid (1 px black gap), with their labels as text. */
export function digitGrid(images: ArrayLike<number>[], options: GridOptions = {}): void {
  const grid = gridLayout(images, options);
  showPng(grid.pixels, grid.width, grid.height, grid.png);
  if (grid.labels !== undefined) console.log(grid.labels);
}
