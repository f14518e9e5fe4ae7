import { describe, fail } from '../errors';
import { Random } from './random';

export interface BatchOptions {
  /** Visit the rows in a fresh random order (default false: 0, 1, 2, ...). Needs `rng`. */
  shuffle?: boolean;
  /** The seeded generator that draws the order when `shuffle` is on. */
  rng?: Random;
  /** Skip the last batch when it is smaller than `batchSize` (default false, as PyTorch). */
  dropLast?: boolean;
}

/**
 * One epoch of mini-batches over `count` rows, as row indices: PyTorch's
 * `DataLoader(dataset, batch_size, shuffle, drop_last=False)` sampler.
 *
 * Yields $\lceil \mathrm{count}/\mathrm{batchSize} \rceil$ batches (the last one partial), or
 * $\lfloor \mathrm{count}/\mathrm{batchSize} \rfloor$ with `dropLast`. With `shuffle`, the order is a
 * uniform permutation drawn from `rng` (Fisher-Yates) at the start of each call, so each
 * epoch gets a new order and a seed fixes them all. The yielded arrays are views into one
 * Int32Array per epoch: read each before the next is drawn.
 *
 * @example
 * for (const idx of batchIndices(60000, 64, { shuffle: true, rng })) { ... } // 938 batches
 */
export function* batchIndices(count: number, batchSize: number, options: BatchOptions = {}): Generator<Int32Array, void, undefined> {
  const fn = 'batchIndices';
  if (!(Number.isInteger(count) && count >= 0)) fail(fn, 'count', 'an integer >= 0', describe(count));
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) fail(fn, 'batchSize', 'an integer >= 1', describe(batchSize));
  const { shuffle = false, rng, dropLast = false } = options;
  if (shuffle && !(rng instanceof Random)) fail(fn, 'options.rng', 'a Random when shuffle is true', describe(rng));
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  if (shuffle) rng!.shuffle(order);
  const end = dropLast ? count - (count % batchSize) : count;
  for (let start = 0; start < end; start += batchSize) {
    yield order.subarray(start, Math.min(start + batchSize, end));
  }
}

/** A typed array `gatherRows` copies from and into. */
export type RowArray = Float32Array | Float64Array | Uint8Array | Int32Array;

/**
 * Copies rows `indices[0], indices[1], ...` of a row-major `[rows, cols]` matrix `source`
 * into the front of `out` (a buffer reused across batches): $\mathrm{out}_{i,c} = \mathrm{source}_{\mathrm{indices}_i, c}$.
 * Returns `out` itself when the batch fills it, else the view `out.subarray(0, indices.length * cols)`
 * (a partial last batch); no other allocation. With
 * `cols = 1` it gathers labels.
 *
 * @example
 * const xb = new Float32Array(64 * 784);
 * for (const idx of batchIndices(n, 64, { shuffle: true, rng })) {
 *   const x = gatherRows(images, 784, idx, xb); // [idx.length, 784]
 * }
 */
export function gatherRows<A extends RowArray>(source: A, cols: number, indices: ArrayLike<number>, out: A): A {
  const fn = 'gatherRows';
  if (!(Number.isInteger(cols) && cols >= 1 && source.length % cols === 0)) {
    fail(fn, 'cols', `an integer >= 1 dividing source.length ${source.length}`, describe(cols));
  }
  const n = indices.length;
  if (out.length < n * cols) fail(fn, 'out.length', `at least ${n * cols} (${n} rows of ${cols})`, String(out.length));
  const rows = source.length / cols;
  for (let i = 0; i < n; i++) {
    const r = indices[i]!;
    if (!(Number.isInteger(r) && r >= 0 && r < rows)) fail(fn, `indices[${i}]`, `a row index in [0, ${rows})`, describe(r));
    const from = r * cols;
    const to = i * cols;
    // long rows between arrays of one kind: a block copy (memcpy) instead of a loop
    if (cols >= 16 && source.constructor === out.constructor) out.set(source.subarray(from, from + cols), to);
    else for (let c = 0; c < cols; c++) out[to + c] = source[from + c]!;
  }
  return n * cols === out.length ? out : (out.subarray(0, n * cols) as A);
}
