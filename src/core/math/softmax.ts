import { toRows } from '../tensor/flatten';
import { shapeLike } from '../tensor/shapeLike';
import type { FloatArray, GradOf, Values } from '../tensor/types';
import { softmaxRow } from './rowKernels';

/**
 * Softmax over the last axis (each row of a `[N, C]` batch, or a single `[C]` vector):
 * $\mathrm{softmax}(x)_j = \frac{e^{x_j - m}}{\sum_k e^{x_k - m}}$ with $m = \max_k x_k$,
 * so logits of any finite size give finite probabilities (each within a few ulps; an
 * exponent below -745 gives 0). The row kernel of crossEntropy (see rowKernels).
 * Throws for rank-0 input and for NaN or ±Infinity.
 *
 * @example
 * softmax([1, 2, 3]) // [0.09003057317038046, 0.24472847105479764, 0.6652409557748218]
 * softmax([1e308, -1e308]) // [1, 0]
 */
export function softmax<I extends Values>(x: I): GradOf<I> {
  const { data, rows, cols } = toRows('softmax', 'x', x);
  return shapeLike(x, softmaxInto(data, rows, cols)) as GradOf<I>;
}

/** The softmax of each row of data[rows, cols], flat (also logSumExp's gradient). */
export function softmaxInto(data: FloatArray, rows: number, cols: number): Float64Array {
  const out = new Float64Array(data.length);
  const stats = new Float64Array(2);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    const s = softmaxRow(data, o, cols, out, o, stats);
    for (let j = o; j < o + cols; j++) out[j] = out[j]! / s;
  }
  return out;
}
