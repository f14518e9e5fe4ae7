import { assertSameShape, checkFinite, toFlat, type Flat } from '../tensor/flatten';
import { assertProbabilities } from '../tensor/probabilities';
import type { FloatArray, Values } from '../tensor/types';

/** An elementwise binary loss's arguments, read and checked once. */
export interface BinaryPair {
  /** Input (probabilities or logits), flat. */
  readonly x: FloatArray;
  /** Target in [0, 1], label smoothing already applied. */
  readonly t: FloatArray;
  /** Elementwise weight of the input's shape, or null for all ones. */
  readonly w: FloatArray | null;
  readonly size: number;
  readonly shape: readonly number[];
}

interface BinaryReadOptions {
  /** The input holds probabilities (checked in [0, 1]) rather than logits. */
  probabilities: boolean;
  /** Keras-style smoothing s: t' = t (1 - s) + s / 2 (0 for none). */
  labelSmoothing?: number;
  /** A parsed elementwise `weight` option (see optionalValues); it must have the input's shape. */
  weight?: Flat | undefined;
  /**
   * Leave the NaN and [0, 1] checks of typed data to the loss's kernel, which counts bad
   * elements in its own pass and then calls `assertBinaryPair`. Ignored under label smoothing,
   * which needs the target checked before it is smoothed.
   */
  deferChecks?: boolean;
}

/**
 * Reads `input` and `target` of equal shape, checks the target (and a
 * probability input) lies in [0, 1], smooths the target and checks the weight's shape.
 */
export function readBinaryPair(fn: string, input: Values, target: Values, o: BinaryReadOptions): BinaryPair {
  const s = o.labelSmoothing ?? 0;
  const defer = o.deferChecks === true && s === 0;
  const a = toFlat(fn, 'input', input, { deferScan: defer });
  const b = toFlat(fn, 'target', target, { deferScan: defer });
  assertSameShape(fn, a, 'input', b, 'target');
  if (!defer) {
    if (o.probabilities) assertProbabilities(fn, 'input', a.data);
    assertProbabilities(fn, 'target', b.data);
  }
  const t = s === 0 ? b.data : Float64Array.from(b.data, (v) => v * (1 - s) + s / 2);
  let w: FloatArray | null = null;
  if (o.weight) {
    assertSameShape(fn, a, 'input', o.weight, 'options.weight');
    w = o.weight.data;
  }
  return { x: a.data, t, w, size: a.data.length, shape: a.shape };
}

/**
 * The checks `readBinaryPair` defers, in its order: throws the message it would have thrown.
 * A kernel calls this when its pass met a NaN or a value outside [0, 1].
 */
export function assertBinaryPair(fn: string, pair: BinaryPair, probabilities: boolean): void {
  checkFinite(fn, 'input', pair.x);
  checkFinite(fn, 'target', pair.t);
  if (probabilities) assertProbabilities(fn, 'input', pair.x);
  assertProbabilities(fn, 'target', pair.t);
}
