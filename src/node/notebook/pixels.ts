/**
 * Grayscale pixel layout for the image helpers, pure and dependency-free so the Node helpers
 * (png.ts, PNG by pngjs) and the live pages' browser helpers (PNG by fast-png) share it.
 * Pixels are row-major; `max` is the value drawn white (255 for bytes, 1 for [0, 1] floats).
 */

export interface PngOptions {
  /** Value drawn as white; default 255. Values are clamped to [0, max]. */
  max?: number;
  /** Integer upscaling factor (nearest neighbour); default 1. */
  scale?: number;
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

/** 8-bit gray levels of an image, clamped to [0, max] and upscaled `scale` times. */
export function grayBytes(pixels: ArrayLike<number>, width: number, height: number, options: PngOptions = {}): { data: Uint8Array; width: number; height: number } {
  const { max = 255, scale = 1 } = options;
  if (pixels.length !== width * height) {
    throw new RangeError(`encodePng: pixels must have width * height = ${width * height} values, got ${pixels.length}`);
  }
  if (!Number.isInteger(scale) || scale < 1) throw new RangeError(`encodePng: scale must be a positive integer, got ${scale}`);
  const data = new Uint8Array(width * scale * height * scale);
  for (let y = 0; y < height * scale; y++) {
    for (let x = 0; x < width * scale; x++) {
      const v = pixels[Math.floor(y / scale) * width + Math.floor(x / scale)] ?? 0;
      data[y * width * scale + x] = Math.round(255 * Math.min(1, Math.max(0, v / max)));
    }
  }
  return { data, width: width * scale, height: height * scale };
}

/** Images side by side in one grid image (1 px black gap), and the labels' text row by row. */
export function gridLayout(images: ArrayLike<number>[], options: GridOptions = {}): { pixels: Float64Array; width: number; height: number; png: PngOptions; labels?: string } {
  const { width = 28, height = 28, cols = 10, labels, ...png } = options;
  const rows = Math.ceil(images.length / cols);
  const W = cols * (width + 1) - 1;
  const H = rows * (height + 1) - 1;
  const pixels = new Float64Array(W * H);
  images.forEach((img, i) => {
    if (img.length !== width * height) {
      throw new RangeError(`digitGrid: image ${i} must have ${width * height} values, got ${img.length}`);
    }
    const ox = (i % cols) * (width + 1);
    const oy = Math.floor(i / cols) * (height + 1);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) pixels[(oy + y) * W + ox + x] = img[y * width + x] ?? 0;
    }
  });
  const layout = { pixels, width: W, height: H, png: { ...png, max: png.max ?? 255 } };
  if (!labels) return layout;
  const cells = Array.from(labels, String);
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) lines.push(cells.slice(r * cols, (r + 1) * cols).join(' '));
  return { ...layout, labels: lines.join('\n') };
}
