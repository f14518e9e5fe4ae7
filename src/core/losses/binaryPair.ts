import { fail, showShape } from '../errors';
import { assertSameShape, checkFinite, toFlat, type Flat } from '../tensor/flatten';
import { assertProbabilities } from '../tensor/probabilities';
import type { FloatArray, Values } from '../tensor/types';

/** An elementwise binary loss's arguments, read and checked once. */
export interface BinaryPair {
  /** Input (probabilities or logits), flat. */
  readonly x: FloatArray;
  /** Target in [0, 1], as given (label smoothing is the loss's parameter b, see below). */
  readonly y: FloatArray;
  /** `weight` broadcast (see broadcastOption): values repeating every w.length elements, or null for ws everywhere. */
  readonly w: FloatArray | null;
  readonly ws: number;
  readonly size: number;
  readonly shape: readonly number[];
}

interface BinaryReadOptions {
  /** The input holds probabilities (checked in [0, 1]) rather than logits. */
  probabilities: boolean;
  /** A parsed `weight` option (see optionalNumberOrValues), broadcast against the input. */
  weight?: number | Flat | undefined;
  /**
   * Leave the NaN and [0, 1] checks of typed data to the loss's kernel, which makes its total
   * NaN and then calls `assertBinaryPair`.
   */
  deferChecks?: boolean;
}

/**
 * Reads `input` and `target` of equal shape, checks the target (and a probability input) lies
 * in [0, 1] and broadcasts the weight. Label smoothing s is not applied to the target here: the
 * losses are linear in the target t = y (1 - s) + s / 2, so each computes
 * ℓ(t) = (1 - s) ℓ(y) + (s / 2) (ℓ(1) + ℓ(0)), whose parts are >= 0: a smoothed target rounded
 * to float64 would instead lose 1 - t's digits (s / 2 = 5e-4 carries an error of 2e-13 when
 * 1 - t is taken from t = 0.9995).
 */
export function readBinaryPair(fn: string, input: Values, target: Values, o: BinaryReadOptions): BinaryPair {
  const defer = o.deferChecks === true;
  const a = toFlat(fn, 'input', input, { deferScan: defer });
  const b = toFlat(fn, 'target', target, { deferScan: defer });
  assertSameShape(fn, a, 'input', b, 'target');
  if (!defer) {
    if (o.probabilities) assertProbabilities(fn, 'input', a.data);
    assertProbabilities(fn, 'target', b.data);
  }
  const w = broadcastOption(fn, 'options.weight', o.weight, a.shape);
  return { x: a.data, y: b.data, w: w.data, ws: w.scalar, size: a.data.length, shape: a.shape };
}

/**
 * The checks `readBinaryPair` defers, in its order: throws the message it would have thrown.
 * A kernel calls this when its pass met a NaN or a value outside [0, 1].
 */
export function assertBinaryPair(fn: string, pair: { readonly x: FloatArray; readonly y: FloatArray }, probabilities: boolean): void {
  checkFinite(fn, 'input', pair.x);
  checkFinite(fn, 'target', pair.y);
  if (probabilities) assertProbabilities(fn, 'input', pair.x);
  assertProbabilities(fn, 'target', pair.y);
}

/** An option broadcast against the input: values repeating every `data.length` elements, or one `scalar` for all. */
export interface Broadcast {
  readonly data: FloatArray | null;
  readonly scalar: number;
}

/**
 * Broadcasts a `weight`-like option to the input's shape as PyTorch does: a number (or any shape
 * of ones) is one value for all; otherwise the option may have at most the input's rank, and each
 * of its axes, aligned from the last, the input's size there or 1. `[C]` against `[N, C]` and the
 * full shape repeat their data as is; other shapes (`[N, 1]`) are expanded to the input's size.
 * Absent: `fallback` for all.
 */
export function broadcastOption(fn: string, name: string, v: number | Flat | undefined, shape: readonly number[], fallback = 1): Broadcast {
  if (v === undefined) return { data: null, scalar: fallback };
  if (typeof v === 'number') return { data: null, scalar: v };
  const ws = v.shape;
  const at = shape.length - ws.length;
  if (at < 0 || ws.some((d, i) => d !== 1 && d !== shape[at + i])) {
    fail(
      fn,
      name,
      `a number or of a shape broadcastable to input shape ${showShape(shape)} (at most its rank; each axis, aligned from the last, the input's size or 1)`,
      `shape ${showShape(ws)}`,
    );
  }
  let lead = 0;
  while (lead < ws.length && ws[lead] === 1) lead++;
  if (lead === ws.length) return { data: null, scalar: v.data[0]! };
  if (ws.slice(lead).every((d, i) => d === shape[at + lead + i])) return { data: v.data, scalar: 1 };
  return { data: expand(v.data, ws, shape), scalar: 1 };
}

/** The values of shape `ws` repeated along its axes of size 1 (and the missing leading axes) to `shape`. */
function expand(data: FloatArray, ws: readonly number[], shape: readonly number[]): Float64Array {
  const rank = shape.length;
  const at = rank - ws.length;
  const stride = new Array<number>(rank).fill(0);
  for (let j = ws.length - 1, st = 1; j >= 0; st *= ws[j]!, j--) stride[at + j] = ws[j] === 1 ? 0 : st;
  const n = shape.reduce((p, d) => p * d, 1);
  const out = new Float64Array(n);
  const index = new Array<number>(rank).fill(0);
  for (let i = 0, k = 0; i < n; i++) {
    out[i] = data[k]!;
    for (let axis = rank - 1; axis >= 0; axis--) {
      k += stride[axis]!;
      if (++index[axis]! < shape[axis]!) break;
      k -= stride[axis]! * shape[axis]!;
      index[axis] = 0;
    }
  }
  return out;
}
