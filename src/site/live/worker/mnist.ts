/**
 * The live page's `./src/node/mnist`: `loadMnist` with the Node loader's signature and
 * normalization, over the subset of MNIST that `npm run docs:prepare` ships with the site
 * (the first digits of each split, `MNIST_SUBSET` in src/node/mdx/live.ts, as gzipped IDX files
 * parsed by the core's `parseIdx`). The worker fetches it before a cell that imports it.
 */
import { describe, fail } from '../../../core/errors';
import { parseIdx } from '../../../core/data/idx';

const FULL = { train: 60000, test: 10000 } as const;

export interface MnistOptions {
  split: 'train' | 'test';
  limit?: number;
  dir?: string;
  raw?: boolean;
}

export interface Mnist {
  images: Float32Array;
  labels: Uint8Array;
  count: number;
  rows: 28;
  cols: 28;
  pixels?: Uint8Array;
}

type Split = { images: Uint8Array; labels: Uint8Array; count: number };
const loaded: Partial<Record<'train' | 'test', Split>> = {};

async function gunzip(res: Response): Promise<Uint8Array> {
  const stream = res.body!.pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Fetches and parses the shipped subset (once per worker). */
export async function preloadMnist(base: string): Promise<void> {
  for (const split of ['train', 'test'] as const) {
    if (loaded[split]) continue;
    const [images, labels] = await Promise.all(
      ['images', 'labels'].map(async (kind) => {
        const url = `${base}live/mnist/${split}-${kind}.idx.gz`;
        const res = await fetch(url);
        if (!res.ok) throw new Error(`loadMnist: the MNIST subset shipped with the site did not load (${url}: HTTP ${res.status})`);
        return parseIdx(await gunzip(res), { name: url });
      }),
    );
    const count = images!.shape[0]!;
    if (images!.shape.join() !== `${count},28,28` || labels!.shape.join() !== `${count}`)
      fail('loadMnist', `the shipped ${split} subset`, `${count} 28x28 images and labels`, `shapes [${images!.shape.join(',')}] and [${labels!.shape.join(',')}]`);
    loaded[split] = { images: images!.data as Uint8Array, labels: labels!.data as Uint8Array, count };
  }
}

/** As the Node `loadMnist`, on the shipped subset; says so on the cell's output. */
export function loadMnist(options: MnistOptions | 'train' | 'test'): Mnist {
  const o: MnistOptions = typeof options === 'string' ? { split: options } : options;
  const split = o && (o.split === 'train' || o.split === 'test') ? o.split : null;
  if (!split) return fail('loadMnist', 'options.split', "'train' or 'test'", describe(o?.split));
  const data = loaded[split];
  if (!data) return fail('loadMnist', 'the MNIST subset', 'loaded with the cell that imports ./src/node/mnist (run that cell first)', 'not loaded');
  const limit = o.limit ?? data.count;
  if (!(Number.isInteger(limit) && limit >= 0)) fail('loadMnist', 'options.limit', 'an integer >= 0', describe(o.limit));
  const count = Math.min(limit, data.count);
  const pixels = data.images.subarray(0, count * 784);
  const normalized = new Float32Array(count * 784);
  for (let i = 0; i < normalized.length; i++) normalized[i] = (pixels[i]! / 255 - 0.5) / 0.5;
  console.warn(`live page: loadMnist('${split}') reads the subset shipped with the site, ${count} of MNIST's ${FULL[split]} ${split} digits`);
  const out: Mnist = { images: normalized, labels: data.labels.slice(0, count), count, rows: 28, cols: 28 };
  if (o.raw) out.pixels = pixels.slice();
  return out;
}
