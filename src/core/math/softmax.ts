import { toRows } from '../tensor/flatten';
import { shapeLike } from '../tensor/shapeLike';
import type { GradOf, Values } from '../tensor/types';
import { softmaxRowInto } from './rowKernels';

/**
 * Softmax over the last axis (each row of a `[N, C]` batch, or a single `[C]` vector):
 * $\mathrm{softmax}(x)_j = \frac{e^{x_j - m}}{\sum_k e^{x_k - m}}$ with $m = \max_k x_k$,
 * so logits of any size give finite probabilities.
 *
 * @example
 * softmax([1, 2, 3]) // [0.09003057317038046, 0.24472847105479767, 0.6652409557748219]
 */
export function softmax<I extends Values>(x: I): GradOf<I> {
  const { data, rows, cols } = toRows('softmax', 'x', x);
  const out = new Float64Array(data.length);
  for (let r = 0; r < rows; r++) softmaxRowInto(data, r * cols, cols, out);
  return shapeLike(x, out) as GradOf<I>;
}
