/**
 * Grayscale images (MNIST digits, weight maps) as PNG outputs.
 * Pixels are row-major; `max` is the value drawn white (255 for bytes, 1 for [0, 1] floats).
 */
import { PNG } from 'pngjs';
import { display } from './display';

export interface PngOptions {
  /** Value drawn as white; default 255. Values are clamped to [0, max]. */
  max?: number;
  /** Integer upscaling factor (nearest neighbour); default 1. */
  scale?: number;
}

/** Encodes a grayscale image as PNG bytes (deterministic: same pixels, same bytes). */
export function encodePng(pixels: ArrayLike<number>, width: number, height: number, options: PngOptions = {}): Buffer {
  const { max = 255, scale = 1 } = options;
  if (pixels.length !== width * height) {
    throw new RangeError(`encodePng: pixels must have width * height = ${width * height} values, got ${pixels.length}`);
  }
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`encodePng: scale must be a positive integer, got ${scale}`);
  const png = new PNG({ width: width * scale, height: height * scale, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  const out = Buffer.alloc(width * scale * height * scale);
  for (let y = 0; y < height * scale; y++) {
    for (let x = 0; x < width * scale; x++) {
      const v = pixels[Math.floor(y / scale) * width + Math.floor(x / scale)] ?? 0;
      out[y * width * scale + x] = Math.round(255 * Math.min(1, Math.max(0, v / max)));
    }
  }
  png.data = out;
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

/** Displays one grayscale image as image/png. */
export function showPng(pixels: ArrayLike<number>, width: number, height: number, options: PngOptions = {}): void {
  const png = encodePng(pixels, width, height, options);
  display({ 'image/png': png.toString('base64'), 'text/plain': `<${width}x${height} image>` });
}

export interface GridOptions extends PngOptions {
  /** Image size; default 28 x 28 (MNIST). */
  width?: number;
  height?: number;
  /** Images per row; default 10. */
  cols?: number;
  /** One label per image, printed under the grid row by row. */
  labels?: ArrayLike<string | number>;
}

/** Displays images side by side in a grid (1 px black gap), with their labels as text. */
export function digitGrid(images: ArrayLike<number>[], options: GridOptions = {}): void {
  const { width = 28, height = 28, cols = 10, labels, ...png } = options;
  const rows = Math.ceil(images.length / cols);
  const W = cols * (width + 1) - 1;
  const H = rows * (height + 1) - 1;
  const max = png.max ?? 255;
  const grid = new Float64Array(W * H);
  images.forEach((img, i) => {
    if (img.length !== width * height) {
      throw new RangeError(`digitGrid: image ${i} must have ${width * height} values, got ${img.length}`);
    }
    const ox = (i % cols) * (width + 1);
    const oy = Math.floor(i / cols) * (height + 1);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) grid[(oy + y) * W + ox + x] = img[y * width + x] ?? 0;
    }
  });
  showPng(grid, W, H, { ...png, max });
  if (labels) {
    const cells = Array.from(labels, String);
    const lines: string[] = [];
    for (let r = 0; r < rows; r++) lines.push(cells.slice(r * cols, (r + 1) * cols).join(' '));
    console.log(lines.join('\n'));
  }
}
