import type { FloatArray } from '../tensor/types';

/**
 * PyTorch's pairwise distance of one pair of rows, `F.pairwise_distance(x, y, p, eps)`:
 * $\lVert x - y + \epsilon\rVert_p = \bigl(\sum_j |x_j - y_j + \epsilon|^p\bigr)^{1/p}$ over the `cols`
 * elements at offsets `xo`, `yo` (eps is added to each difference, not to the norm). Safe from
 * intermediate overflow and underflow: p = 2 rescales when the sum of squares leaves the normal
 * range, other p divide by the largest |difference| first. Infinity only when the distance
 * itself overflows.
 */
export function rowDistance(x: FloatArray, xo: number, y: FloatArray, yo: number, cols: number, p: number, eps: number): number {
  if (p === 2) {
    let s = 0;
    for (let j = 0; j < cols; j++) {
      const d = x[xo + j]! - y[yo + j]! + eps;
      s += d * d;
    }
    // below 2^-960 some squares may have underflowed; above the range the sum overflowed
    if (s >= 2 ** -960 && s < Infinity) return Math.sqrt(s);
  }
  if (p === 1) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.abs(x[xo + j]! - y[yo + j]! + eps);
    return s;
  }
  return scaledDistance(x, xo, y, yo, cols, p, eps);
}

/** max_j |d_j| · (Σ_j (|d_j| / max)^p)^(1/p), d = x - y + eps. */
function scaledDistance(x: FloatArray, xo: number, y: FloatArray, yo: number, cols: number, p: number, eps: number): number {
  let m = 0;
  for (let j = 0; j < cols; j++) m = Math.max(m, Math.abs(x[xo + j]! - y[yo + j]! + eps));
  // a difference that overflowed makes the distance overflow too
  if (m === 0 || m === Infinity) return m;
  let s = 0;
  for (let j = 0; j < cols; j++) {
    const q = Math.abs(x[xo + j]! - y[yo + j]! + eps) / m;
    s += p === 2 ? q * q : Math.pow(q, p);
  }
  return m * (p === 2 ? Math.sqrt(s) : Math.pow(s, 1 / p));
}

/**
 * d‖d‖_p / d d_j for one element `d` of a difference whose distance is `dist` (rowDistance):
 * $\operatorname{sign}(d_j)\,(|d_j|/\lVert d\rVert_p)^{p-1}$, taken as 0 where $\lVert d\rVert_p = 0$ and where
 * $d_j = 0$ (PyTorch's norm backward; for p < 1 the formula would be infinite there).
 * d/dx of ‖x - y + eps‖_p is this, d/dy its negative.
 */
export function normSlope(d: number, dist: number, p: number): number {
  if (d === 0 || dist === 0) return 0;
  if (p === 2) return d / dist;
  if (p === 1) return d > 0 ? 1 : -1;
  return (d > 0 ? 1 : -1) * Math.pow(Math.abs(d) / dist, p - 1);
}
