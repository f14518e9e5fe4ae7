/**
 * Row kernels over flat row-major data, shared by softmax-based losses.
 * Stable form: log sum_j exp(x_j) = m + log sum_j exp(x_j - m), m = max_j x_j,
 * so no exp overflows and the largest term is exactly exp(0) = 1.
 */

/** log sum_j exp(x[offset + j]) for j in [0, cols). */
export function logSumExpRow(x: ArrayLike<number>, offset: number, cols: number): number {
  let m = -Infinity;
  for (let j = 0; j < cols; j++) if (x[offset + j]! > m) m = x[offset + j]!;
  if (m === -Infinity || m === Infinity) return m;
  let s = 0;
  for (let j = 0; j < cols; j++) s += Math.exp(x[offset + j]! - m);
  return m + Math.log(s);
}

/** Writes softmax of one row into `out` (same offset) and returns the row's log-sum-exp. */
export function softmaxRowInto(x: ArrayLike<number>, offset: number, cols: number, out: Float64Array): number {
  const lse = logSumExpRow(x, offset, cols);
  for (let j = 0; j < cols; j++) out[offset + j] = Math.exp(x[offset + j]! - lse);
  return lse;
}
