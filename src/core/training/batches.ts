import { describe, fail } from '../errors';
import { customOption, flag, parseOptions, type OptionsOf } from '../options';
import { Random } from './random';
import { checkInteger, overlaps, typedArrayKind } from './validate';

/** A seeded `Random`, or undefined when absent. */
const randomOption = customOption<Random | undefined, Random>(undefined, (fn, name, value) => {
  if (value === undefined) return undefined;
  if (!(value instanceof Random)) fail(fn, name, 'a Random', describe(value));
  return value;
});

const spec = {
  /** Visit the rows in a fresh random order (default false: 0, 1, 2, ...). Needs `rng`. */
  shuffle: flag(false),
  /** The seeded generator that draws the order when `shuffle` is on (ignored when off, as DataLoader's `generator`). */
  rng: randomOption,
  /** Skip the last batch when it is smaller than `batchSize` (default false, as PyTorch). */
  dropLast: flag(false),
};

/** `batchIndices`' options, each optional. */
export type BatchOptions = OptionsOf<typeof spec>;

/** Row indices live in an Int32Array, so an epoch has at most 2^31 rows (indices up to 2^31 - 1). */
const MAX_ROWS = 2 ** 31;

/**
 * One epoch of mini-batches over `count` rows, as row indices: PyTorch's
 * `DataLoader(dataset, batch_size, shuffle, drop_last=False)` sampler.
 *
 * Yields $\lceil \mathrm{count}/\mathrm{batchSize} \rceil$ batches (the last one partial), or
 * $\lfloor \mathrm{count}/\mathrm{batchSize} \rfloor$ with `dropLast`. With `shuffle`, the order is a
 * uniform permutation drawn from `rng` (Fisher-Yates) when iteration starts (PyTorch draws it in
 * `iter(sampler)`), so each epoch gets a new order and a seed fixes them all. The yielded
 * arrays are views into one Int32Array per epoch (no copy per batch).
 *
 * Arguments are checked when `batchIndices` is called, not at the first `next()`: `count` an
 * integer in [0, 2^31], `batchSize` an integer >= 1 (PyTorch's BatchSampler: "a positive
 * integer"), options a plain object of the keys above (a misspelt key throws; `shuffle` and
 * `dropLast` must be booleans). Degenerate input as DataLoader: `count = 0` yields no batch;
 * `batchSize > count` yields one batch of all `count` rows, or none with `dropLast`.
 *
 * @example
 * Array.from(batchIndices(5, 2), (b) => Array.from(b)) // [[0, 1], [2, 3], [4]]
 * Array.from(batchIndices(5, 2, { dropLast: true }), (b) => Array.from(b)) // [[0, 1], [2, 3]]
 * Array.from(batchIndices(4, 2, { shuffle: true, rng: new Random(0) }), (b) => Array.from(b)) // [[0, 2], [1, 3]]
 */
export function batchIndices(count: number, batchSize: number, options?: BatchOptions): Generator<Int32Array, void, undefined> {
  const fn = 'batchIndices';
  checkInteger(fn, 'count', count, 0, MAX_ROWS, 'an integer >= 0 and <= 2^31');
  checkInteger(fn, 'batchSize', batchSize, 1);
  const o = parseOptions(fn, options, spec);
  if (o.shuffle && !o.rng) fail(fn, 'options.rng', 'a Random when shuffle is true', 'undefined');
  return epoch(count + 0, batchSize, o.shuffle ? o.rng! : null, o.dropLast);
}

function* epoch(count: number, batchSize: number, rng: Random | null, dropLast: boolean): Generator<Int32Array, void, undefined> {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  if (rng) rng.shuffle(order);
  const end = dropLast ? count - (count % batchSize) : count;
  for (let start = 0; start < end; start += batchSize) {
    yield order.subarray(start, Math.min(start + batchSize, end));
  }
}

/** A typed array `gatherRows` copies from and into. */
export type RowArray = Float32Array | Float64Array | Uint8Array | Int32Array;

const ROW_KINDS = ['Float32Array', 'Float64Array', 'Uint8Array', 'Int32Array'];

/**
 * Copies rows `indices[0], indices[1], ...` of a row-major `[rows, cols]` matrix `source`
 * into the front of `out` (a buffer reused across batches): $\mathrm{out}_{i,c} = \mathrm{source}_{\mathrm{indices}_i, c}$.
 * Returns `out` itself when the batch fills it, else the view `out.subarray(0, indices.length * cols)`
 * (a partial last batch); no other allocation. With `cols = 1` it gathers labels.
 *
 * Everything is checked before anything is written: `source` a Float32Array, Float64Array,
 * Uint8Array or Int32Array; `out` of the same kind (a Float64 source into a Uint8 buffer would
 * truncate), at least `indices.length * cols` long and sharing no memory with `source`; `cols`
 * an integer >= 1 dividing `source.length`; `indices` an array or typed array of integers in
 * [0, rows), repeats allowed (each copy is written). No indices give an empty view.
 *
 * @example
 * const images = Float32Array.from([0, 1, 10, 11, 20, 21]); // [3, 2]
 * Array.from(gatherRows(images, 2, [2, 0], new Float32Array(4))) // [20, 21, 0, 1]
 */
export function gatherRows<A extends RowArray>(source: A, cols: number, indices: ArrayLike<number>, out: A): A {
  const fn = 'gatherRows';
  const kind = typedArrayKind(source);
  if (!kind || !ROW_KINDS.includes(kind)) fail(fn, 'source', 'a Float32Array, Float64Array, Uint8Array or Int32Array', describe(source));
  if (typedArrayKind(out) !== kind) fail(fn, 'out', `a ${kind} like source`, describe(out));
  if (!(Number.isInteger(cols) && cols >= 1 && source.length % cols === 0)) {
    fail(fn, 'cols', `an integer >= 1 dividing source.length ${source.length}`, describe(cols));
  }
  const rows = source.length / cols;
  const n = checkIndices(fn, indices, rows);
  if (out.length < n * cols) fail(fn, 'out.length', `at least ${n * cols} (${n} rows of ${cols})`, String(out.length));
  if (overlaps(source, out)) fail(fn, 'out', 'a buffer that shares no memory with source', `a ${kind} overlapping source`);
  for (let i = 0; i < n; i++) {
    const from = indices[i]! * cols;
    const to = i * cols;
    // long rows: a block copy (memcpy) instead of a loop
    if (cols >= 16) out.set(source.subarray(from, from + cols), to);
    else for (let c = 0; c < cols; c++) out[to + c] = source[from + c]!;
  }
  return n * cols === out.length ? out : (out.subarray(0, n * cols) as A);
}

/** indices.length, once every index is checked to be an integer row in [0, rows). */
function checkIndices(fn: string, indices: unknown, rows: number): number {
  const kind = typedArrayKind(indices);
  if (!Array.isArray(indices) && !(kind && !kind.startsWith('Big'))) fail(fn, 'indices', 'an array or typed array of row indices', describe(indices));
  const list = indices as ArrayLike<unknown>;
  for (let i = 0; i < list.length; i++) {
    const r = list[i];
    if (!(typeof r === 'number' && Number.isInteger(r) && r >= 0 && r < rows)) fail(fn, `indices[${i}]`, `a row index in [0, ${rows})`, describe(r));
  }
  return list.length;
}
