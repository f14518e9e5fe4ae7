import { toRows } from '../tensor/flatten';
import type { Matrix, Vector } from '../tensor/types';
import { logSumExpRow } from './rowKernels';

/**
 * $\log\sum_j e^{x_j} = m + \log\sum_j e^{x_j - m}$, $m = \max_j x_j$: never overflows.
 * A 1-D `x` gives a number; a `[N, C]` batch gives one value per row.
 *
 * @example
 * logSumExp([1000, 1000]) // 1000.6931471805599
 */
export function logSumExp(x: Vector): number;
export function logSumExp(x: Matrix): Float64Array;
export function logSumExp(x: Vector | Matrix): number | Float64Array {
  const { data, rows, cols, shape } = toRows('logSumExp', 'x', x);
  if (shape.length === 1) return logSumExpRow(data, 0, cols);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) out[r] = logSumExpRow(data, r * cols, cols);
  return out;
}
