import { describe, fail, showShape } from '../errors';
import { checkFinite } from './finite';

export { checkFinite };
import type { FloatArray, Tensor, Values } from './types';

/** Values seen as one flat row-major array plus a shape. Typed data is not copied. */
export interface Flat {
  readonly data: FloatArray;
  readonly shape: readonly number[];
}

/** Values seen as a batch of rows: `rows x cols`; 1-D data is one row. */
export interface Rows extends Flat {
  readonly rows: number;
  readonly cols: number;
}

function isTensor(x: unknown): x is Tensor {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !ArrayBuffer.isView(x) && 'data' in x && 'shape' in x;
}

function fromTensor(fn: string, arg: string, x: Tensor): Flat {
  const { data, shape } = x;
  if (!(data instanceof Float32Array || data instanceof Float64Array)) {
    fail(fn, `${arg}.data`, 'a Float32Array or Float64Array', describe(data));
  }
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    fail(fn, `${arg}.shape`, 'an array of non-negative integers', describe(shape));
  }
  const size = (shape as readonly number[]).reduce((a, b) => a * b, 1);
  if (size !== data.length) fail(fn, `${arg}.data.length`, `${size} for shape ${showShape(shape)}`, String(data.length));
  return { data, shape: shape.slice() };
}

function fromNested(fn: string, arg: string, x: readonly (readonly number[])[]): Flat {
  const cols = x[0]!.length;
  const data = new Float64Array(x.length * cols);
  for (let r = 0; r < x.length; r++) {
    const row = x[r]!;
    if (!Array.isArray(row) || row.length !== cols) {
      fail(fn, `${arg}[${r}]`, `a row of ${cols} numbers like ${arg}[0]`, describe(row));
    }
    for (let c = 0; c < cols; c++) data[r * cols + c] = numberAt(fn, `${arg}[${r}][${c}]`, row[c]);
  }
  return { data, shape: [x.length, cols] };
}

function numberAt(fn: string, where: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(fn, where, 'a finite number', describe(v));
  return v;
}

function fromArray(fn: string, arg: string, x: readonly number[]): Flat {
  const data = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) data[i] = numberAt(fn, `${arg}[${i}]`, x[i]);
  return { data, shape: [x.length] };
}

/** How `toFlat` reads. */
export interface ReadOptions {
  /**
   * Skip the finiteness scan of typed data (plain arrays are still checked as they are copied):
   * the caller's kernel sees any NaN or ±Infinity in its own pass (its total is then not
   * finite) and then calls `checkFinite` for the message.
   */
  deferScan?: boolean;
}

/**
 * Reads `x` (array, nested array, typed array or tensor) as flat data plus shape.
 * Throws a `LossInputError` for anything else, for empty data and for NaN or ±Infinity (see
 * ReadOptions). A rank-0 tensor (`shape: []`, one element) is read as one element of shape `[]`,
 * as PyTorch's 0-d tensors; class-wise readers (`toRows`) reject it.
 */
export function toFlat(fn: string, arg: string, x: Values, read: ReadOptions = {}): Flat {
  let flat: Flat;
  if (x instanceof Float32Array || x instanceof Float64Array) {
    if (!read.deferScan) checkFinite(fn, arg, x);
    flat = { data: x, shape: [x.length] };
  } else if (Array.isArray(x)) {
    flat = x.length > 0 && Array.isArray(x[0]) ? fromNested(fn, arg, x as number[][]) : fromArray(fn, arg, x as number[]);
  } else if (isTensor(x)) {
    flat = fromTensor(fn, arg, x);
    if (!read.deferScan) checkFinite(fn, arg, flat.data);
  } else {
    return fail(fn, arg, 'an array, a Float32Array/Float64Array or a { data, shape } tensor', describe(x));
  }
  if (flat.data.length === 0) fail(fn, arg, 'non-empty', `shape ${showShape(flat.shape)}`);
  return flat;
}

/** Reads `x` as a batch of class rows (`[N, C]`, or `[C]` for one sample). */
export function toRows(fn: string, arg: string, x: Values, read: ReadOptions = {}): Rows {
  const flat = toFlat(fn, arg, x, read);
  const { shape } = flat;
  if (shape.length < 1 || shape.length > 2) fail(fn, `${arg} shape`, '[C] or [N, C] (class scores on the last axis)', `shape ${showShape(shape)}`);
  const rows = shape.length === 2 ? shape[0]! : 1;
  const cols = shape[shape.length - 1]!;
  return { ...flat, rows, cols };
}

/** Throws unless `b` has exactly the shape of `a`. */
export function assertSameShape(fn: string, a: Flat, aName: string, b: Flat, bName: string): void {
  const same = a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
  if (!same) fail(fn, bName, `of shape ${showShape(a.shape)} like ${aName}`, `shape ${showShape(b.shape)}`);
}
