import { overflow } from '../errors';
import { toRows } from '../tensor/flatten';
import { shapeLike } from '../tensor/shapeLike';
import type { GradOf, Values } from '../tensor/types';
import { logRowSum, ROW_MAX, softmaxRow } from './rowKernels';

/**
 * Log-softmax over the last axis: $\log\mathrm{softmax}(x)_j = x_j - \log\sum_k e^{x_k}$, taken as
 * $(x_j - m) - \mathrm{log1p}(t)$ with the row kernel's max $m$ and $t = \sum_k e^{x_k - m} - 1$
 * (kept apart from the max's 1, see rowKernels): both terms are $\le 0$, so there is no
 * cancellation, and a confident row's $\log p \approx -t$ keeps every digit
 * (`x_j - lse` rounds at the size of the logits). Throws for rank-0 input, NaN or ±Infinity, and
 * when a value itself is below -1.8e308 (`[1e308, -1e308]`: it overflows float64).
 *
 * @example
 * logSoftmax([0, 0]) // [-0.6931471805599453, -0.6931471805599453]
 * logSoftmax([0, -1e308]) // [0, -1e308]
 * logSoftmax([40, 0]) // [-4.248354255291589e-18, -40]
 */
export function logSoftmax<I extends Values>(x: I): GradOf<I> {
  const { data, rows, cols } = toRows('logSoftmax', 'x', x);
  const out = new Float64Array(data.length);
  const stats = new Float64Array(2);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    softmaxRow(data, o, cols, out, o, stats);
    const m = stats[ROW_MAX]!;
    const L = logRowSum(stats);
    for (let j = o; j < o + cols; j++) {
      const v = data[j]! - m - L;
      if (v === -Infinity) overflow('logSoftmax', `logSoftmax(x)[${j}]`, v);
      out[j] = v;
    }
  }
  return shapeLike(x, out) as GradOf<I>;
}
