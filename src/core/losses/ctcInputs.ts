import { describe, fail, showShape } from '../errors';
import { checkFinite } from '../tensor/finite';
import { toFlat } from '../tensor/flatten';
import type { FloatArray, Tensor, Values } from '../tensor/types';

/** `[T, N, C]` log-probabilities as nested arrays. */
export type NestedLogProbs = readonly (readonly (readonly number[])[])[];

/** What `ctcLoss` takes as `logProbs`: `[T, N, C]` or `[T, C]`, nested arrays or a tensor. */
export type CtcLogProbs = NestedLogProbs | Values;

/** Integers in an array, a typed array or (targets) a `{ data, shape }` tensor over one. */
export type IntegerList = readonly number[] | Int32Array | Uint8Array | Uint16Array | Uint32Array | Int8Array | Int16Array | Float32Array | Float64Array;

/** `ctcLoss`'s `targets`: `[N, S]` padded (nested or tensor) or 1-D concatenated. */
export type CtcTargets = IntegerList | readonly (readonly number[])[] | { readonly data: IntegerList; readonly shape: readonly number[] };

/** `ctcLoss`'s lengths: one integer per sample; a bare number for one sample. */
export type CtcLengths = number | IntegerList;

/** The batch as the recursion reads it: one sample's frame t, class c is `x[t * N * C + n * C + c]`. */
export interface CtcBatch {
  x: FloatArray;
  shape: readonly number[];
  T: number;
  N: number;
  C: number;
  /** Each sample's target, concatenated (padding dropped). */
  labels: Int32Array;
  /** Where sample n's target starts in `labels`. */
  offsets: Int32Array;
  inputLengths: Int32Array;
  targetLengths: Int32Array;
}

/** Nested `[T, N, C]` arrays, told apart from `[T, C]` by their depth. */
export function isNested3(x: unknown): x is NestedLogProbs {
  return Array.isArray(x) && Array.isArray(x[0]) && Array.isArray((x[0] as unknown[])[0]);
}

/**
 * Reads and checks ctcLoss's four arguments (see ctcLoss.ts for the rules): logProbs first
 * (shape, finite, <= 0), then the lengths against T and N, then the targets' shape and every
 * label within its length (padding is not read).
 */
export function readCtcBatch(fn: string, args: readonly unknown[], blank: number): CtcBatch {
  const { data: x, shape } = readLogProbs(fn, args[0]);
  const batched = shape.length === 3;
  const T = shape[0]!;
  const N = batched ? shape[1]! : 1;
  const C = shape[shape.length - 1]!;
  if (blank >= C) fail(fn, 'options.blank', `a class index in [0, ${C}) (logProbs has C = ${C} classes)`, String(blank));
  const targets = readTargetShape(fn, args[1], N);
  const inputLengths = readLengths(fn, 'inputLengths', args[2], N, T, `T = ${T}, the frames of logProbs`);
  const S = targets.padded ? targets.width : Infinity;
  const targetLengths = readLengths(fn, 'targetLengths', args[3], N, S, `S = ${S}, the padded length of targets`);
  const { labels, offsets } = readLabels(fn, targets, targetLengths, C, blank);
  return { x, shape, T, N, C, labels, offsets, inputLengths, targetLengths };
}

/**
 * `[T, N, C]` or `[T, C]` finite log-probabilities (<= 0), as nested arrays or a tensor. Nested
 * arrays name a bad element by its indices (`logProbs[1][0][2]`), typed data by its flat index.
 */
function readLogProbs(fn: string, x: unknown): { data: FloatArray; shape: readonly number[] } {
  const nested = Array.isArray(x);
  // toFlat's finiteness scan deferred to the one below, which fails at NaN and ±Infinity too
  const { data, shape } = isNested3(x) ? fromNested3(fn, x) : toFlat(fn, 'logProbs', x as Values, { deferScan: true });
  if (shape.length !== 2 && shape.length !== 3) {
    fail(fn, 'logProbs shape', '[T, N, C] or [T, C] (log-probabilities on the last axis)', `shape ${showShape(shape)}`);
  }
  const i = firstNotLogProbability(data);
  if (i >= 0) {
    checkFinite(fn, 'logProbs', data); // the first NaN or ±Infinity first, as toFlat names it
    const v = data[i]!;
    const where = nested ? nestedIndex(shape, i) : `[${i}]`;
    if (v - v !== 0) fail(fn, `logProbs${where}`, 'a finite number', describe(v));
    fail(fn, `logProbs${where}`, 'a log-probability (<= 0)', `${v}: pass log_softmax of the scores, not the scores`);
  }
  return { data, shape };
}

/**
 * The first index of `data` that is not a finite number <= 0, or -1. One copy per array kind
 * keeps the loads monomorphic (as tensor/finite.ts): through one shared loop, float32 [200 x 32 x
 * 50] log-probabilities took 3.7 ns an element on Node 20, a fifth of the bench's ctcLoss call.
 */
function firstNotLogProbability(data: FloatArray): number {
  return data instanceof Float64Array ? firstNotLogProbability64(data) : firstNotLogProbability32(data);
}

// one comparison for the common case: NaN, ±Infinity and positive numbers all fail it
function firstNotLogProbability64(a: Float64Array): number {
  for (let i = 0; i < a.length; i++) if (!(a[i]! <= 0 && a[i]! !== -Infinity)) return i;
  return -1;
}

function firstNotLogProbability32(a: Float32Array): number {
  for (let i = 0; i < a.length; i++) if (!(a[i]! <= 0 && a[i]! !== -Infinity)) return i;
  return -1;
}

function nestedIndex(shape: readonly number[], i: number): string {
  const parts: number[] = [];
  for (let k = shape.length - 1; k >= 0; k--) {
    parts.unshift(i % shape[k]!);
    i = Math.floor(i / shape[k]!);
  }
  return parts.map((p) => `[${p}]`).join('');
}

/** Nested `[T, N, C]` arrays into flat float64, checking that every row has the same length. */
export function fromNested3(fn: string, x: NestedLogProbs): { data: Float64Array; shape: number[] } {
  const T = x.length;
  const N = x[0]!.length;
  const C = x[0]![0]!.length;
  if (N === 0 || C === 0) fail(fn, 'logProbs', 'non-empty', `shape ${showShape([T, N, C])}`);
  const data = new Float64Array(T * N * C);
  for (let t = 0; t < T; t++) {
    const frame = x[t];
    if (!Array.isArray(frame) || frame.length !== N) fail(fn, `logProbs[${t}]`, `${N} rows like logProbs[0]`, describe(frame));
    for (let n = 0; n < N; n++) {
      const row = frame[n] as unknown;
      if (!Array.isArray(row) || row.length !== C) fail(fn, `logProbs[${t}][${n}]`, `a row of ${C} numbers like logProbs[0][0]`, describe(row));
      for (let c = 0; c < C; c++) {
        const v = row[c] as unknown;
        if (typeof v !== 'number' || v - v !== 0) fail(fn, `logProbs[${t}][${n}][${c}]`, 'a finite number', describe(v));
        data[(t * N + n) * C + c] = v;
      }
    }
  }
  return { data, shape: [T, N, C] };
}

interface TargetShape {
  list: ArrayLike<unknown>;
  /** `[N, S]` (or `[S]` unbatched) padded rows, else 1-D concatenated. */
  padded: boolean;
  /** S, the padded row length. */
  width: number;
  /** Nested rows (`targets[n][j]`), else flat data (`targets[i]`). */
  rows: readonly (readonly unknown[])[] | null;
}

function isIntegerList(x: unknown): x is IntegerList {
  return Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView) && !(x instanceof BigInt64Array) && !(x instanceof BigUint64Array));
}

/**
 * The targets' layout, as PyTorch's: 2-D is `[N, S]` padded, 1-D is concatenated (unbatched: one
 * sample's target, `[1, S]` padded).
 */
function readTargetShape(fn: string, v: unknown, N: number): TargetShape {
  let list: ArrayLike<unknown>;
  let shape: readonly number[];
  let rows: readonly (readonly unknown[])[] | null = null;
  if (Array.isArray(v) && v.length > 0 && Array.isArray(v[0])) {
    rows = v as unknown[][];
    const S = rows[0]!.length;
    rows.forEach((r, n) => {
      if (!Array.isArray(r) || r.length !== S) fail(fn, `targets[${n}]`, `a row of ${S} class indices like targets[0]`, describe(r));
    });
    list = [];
    shape = [rows.length, S];
  } else if (isIntegerList(v)) {
    list = v;
    shape = [v.length];
  } else if (typeof v === 'object' && v !== null && isIntegerList((v as Tensor).data) && Array.isArray((v as Tensor).shape)) {
    const t = v as { data: IntegerList; shape: number[] };
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (t.shape.some((d) => !Number.isInteger(d) || d < 0) || size !== t.data.length)
      fail(fn, 'targets.shape', `non-negative integers whose product is targets.data.length (${t.data.length})`, `shape ${showShape(t.shape)}`);
    list = t.data;
    shape = t.shape;
  } else {
    return fail(fn, 'targets', 'class indices: [N, S] padded or 1-D concatenated (an array, typed array or { data, shape } tensor)', describe(v));
  }
  if (shape.length === 1) return { list, padded: false, width: 0, rows };
  if (shape.length !== 2 || shape[0] !== N) fail(fn, 'targets shape', `[${N}, S] padded (N = ${N} like logProbs) or 1-D concatenated`, `shape ${showShape(shape)}`);
  return { list, padded: true, width: shape[1]!, rows };
}

/** One integer in [0, max] per sample (a bare number for one sample). */
function readLengths(fn: string, name: string, v: unknown, N: number, max: number, maxText: string): Int32Array {
  const single = typeof v === 'number';
  if (!single && !isIntegerList(v)) fail(fn, name, `${N === 1 ? 'a length' : `${N} lengths`}: a number or an array of integers, one per sample`, describe(v));
  const list: ArrayLike<unknown> = single ? [v] : v;
  if (list.length !== N) fail(fn, name, `${N} ${N === 1 ? 'length' : 'lengths'}, one per sample of logProbs`, single ? 'a number' : `${list.length}`);
  const out = new Int32Array(N);
  for (let n = 0; n < N; n++) {
    const k = list[n] as number;
    if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k > max) {
      fail(fn, single ? name : `${name}[${n}]`, max === Infinity ? 'an integer >= 0' : `an integer in [0, ${max}] (${maxText})`, describe(k));
    }
    out[n] = k;
  }
  return out;
}

/**
 * Sample n's first targetLengths[n] labels, each a class index other than the blank; the rest of
 * a padded row is padding, not read. Concatenated targets must hold exactly the sum of the lengths.
 */
function readLabels(fn: string, t: TargetShape, lengths: Int32Array, C: number, blank: number): { labels: Int32Array; offsets: Int32Array } {
  const N = lengths.length;
  const offsets = new Int32Array(N);
  let total = 0;
  for (let n = 0; n < N; n++) {
    offsets[n] = total;
    total += lengths[n]!;
  }
  const size = t.rows ? t.rows.length * t.width : t.list.length;
  if (!t.padded && size !== total) fail(fn, 'targets', `of length ${total} (the sum of targetLengths) when 1-D (concatenated)`, `length ${size}`);
  const labels = new Int32Array(total);
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < lengths[n]!; j++) {
      const i = t.padded ? n * t.width + j : offsets[n]! + j;
      const k = (t.rows ? t.rows[n]![j] : t.list[i]) as number;
      if (typeof k !== 'number' || !Number.isInteger(k) || k < 0 || k >= C || k === blank) {
        fail(fn, t.rows ? `targets[${n}][${j}]` : `targets[${i}]`, `a class index in [0, ${C}) other than the blank ${blank}`, describe(k));
      }
      labels[offsets[n]! + j] = k;
    }
  }
  return { labels, offsets };
}
