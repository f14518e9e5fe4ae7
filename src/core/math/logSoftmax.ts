import { toRows } from '../tensor/flatten';
import { shapeLike } from '../tensor/shapeLike';
import type { GradOf, Values } from '../tensor/types';
import { logSumExpRow } from './rowKernels';

/**
 * Log-softmax over the last axis: $\log\mathrm{softmax}(x)_j = x_j - \log\sum_k e^{x_k}$,
 * with the log-sum-exp taken stably (see logSumExp). Finite for logits of +-1e4.
 *
 * @example
 * logSoftmax([0, 0]) // [-0.6931471805599453, -0.6931471805599453]
 */
export function logSoftmax<I extends Values>(x: I): GradOf<I> {
  const { data, rows, cols } = toRows('logSoftmax', 'x', x);
  const out = new Float64Array(data.length);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    const lse = logSumExpRow(data, o, cols);
    for (let j = 0; j < cols; j++) out[o + j] = data[o + j]! - lse;
  }
  return shapeLike(x, out) as GradOf<I>;
}
