import { checkFinite } from '../tensor/flatten';
import type { FloatArray } from '../tensor/types';
import * as expModule from './fastExp';
import * as logModule from './fastLog';
import * as sumModule from './twoSum';

// Module-local bindings of the imports used per element: CommonJS builds (tsx) read an import
// through a getter at each use, which V8 does not inline into a hot loop; these are read once.
const fastExp = expModule.fastExp;
const expUnchecked = expModule.expUnchecked;
const fastLog1p = logModule.fastLog1p;
const twoSumError = sumModule.twoSumError;

/**
 * The softmax cross-entropy row kernel: one row's softmax statistics, from which every
 * softmax-based loss and helper takes its value and gradient (crossEntropy, the `fromLogits`
 * paths of categorical / sparseCategoricalCrossEntropy, focalLoss, softmax, logSoftmax,
 * logSumExp). exp and log are fastExp / fastLog1p (within one ulp).
 *
 * For a row x with max m, e_j = exp(x_j - m) and s = Σ_j e_j >= 1 (a max's e_j is exactly 1),
 * the kernel returns s and t = s - 1, the sum of every e_j but one max's, computed without
 * ever rounding 1 + t (below). Then
 *
 *   log s       = log1p(t)
 *   log p_j     = (x_j - m) - log1p(t)                     (both terms <= 0: no cancellation)
 *   -log p_k    = (m - x_k) + log1p(t)
 *   1 - p_k     = rest_k / s, rest_k = t if x_k = m, else s - e_k    (Σ_{j≠k} e_j, restOf)
 *
 * The naive m + log s - x_k rounds at the size of m (crossEntropy([[1e16, 1e16]], [0]) gave 0,
 * not ln 2) and log(s) of a rounded s = 1 + t loses t below ulp(1) ([[0, 40]] gave 0, not
 * 4.2e-18); with t kept apart a confident row's loss log1p(t) and its target gradient
 * -(1 - p_k) = -t / s are accurate to a few ulps however small t is.
 *
 * The sum: two interleaved accumulators (even and odd j), each starting at 1 so that every term
 * (<= 1) is at most the running sum and Fast2Sum collects each addition's rounding error exactly
 * (q); at the end E = s_even - 1 and F = s_odd - 1 (exact while a lane is below 2), E + F by
 * TwoSum into h + l, and t = (h - 1) + (l + q), s = h + (l + q). So t is as accurate as its terms
 * (a 5000-term row: 2e-16 relative, not 3e-15) and branch-free. It costs crossEntropy about 8%
 * on the bench's [4096 x 1000] float32 rows (CPU time, before and after alternating in one
 * process: 13.8-14.9 ms for the previous kernel's plain sum, 14.9-16.4 ms here) and ~10% on float64 rows:
 * the price of the last digits of long and confident rows. The WebAssembly kernel
 * (ceRowsF32, two f64x2 lanes) sums the same way, so the two paths and every loss sharing a
 * formula (crossEntropy, focalLoss at γ = 0, sparse categorical from logits) agree to the last bit.
 *
 * The errors q: each lane sums them plainly over a block of SUM_BLOCK terms and adds the block's
 * sum to its q by TwoSum. In a confident row every e_j is below ulp(1), so q is all of t: a plain
 * running q over [1 x 1e6] logits (one at 50, the rest 0) was 1.1e-11 from the exact loss
 * log1p(999999 e^-50), past the 1e-12 promise (PyTorch float64 gives 0); by blocks the error is
 * that of SUM_BLOCK / 2 terms per lane whatever the row's length.
 */

/** The terms (both lanes) whose Fast2Sum errors are summed plainly before joining q (see above). */
export const SUM_BLOCK = 64;

/** The slots of a row's statistics in the `stats` array the kernel writes: m and t = s - 1. */
export const ROW_MAX = 0;
export const ROW_REST = 1;

/**
 * The kernel: fills dst[d + j] = exp(x[o + j] - m) for j in [0, cols), writes stats = [m, t] (see
 * above) and returns s = 1 + t; NaN when the row holds a NaN or ±Infinity (the callers then name
 * it with checkFinite). One version for float32 and float64 data: copies per kind, which keep
 * V8's element loads monomorphic, ran within the noise of this one in crossEntropy (CPU time, best
 * of 15 alternating runs in one process: [409600 x 10] float32 81-84 ms here, 86-87 ms with
 * copies; [4096 x 1000] float32 without WebAssembly 27.4 vs 26.2-26.6 ms; 938 calls on [64 x 10]
 * float64, the MNIST epoch's, 10.7-11.4 vs 12.7-12.8 ms), and so did per-kind copies of the
 * gradient writer and of hardRow (11.8-12.2 vs 11.8-12.3 ms on the MNIST calls).
 */
export function softmaxRow(x: FloatArray, o: number, cols: number, dst: Float64Array, d: number, stats: Float64Array): number {
  let m0 = -Infinity;
  let m1 = -Infinity;
  let l0 = Infinity;
  let l1 = Infinity;
  const end = o + cols;
  let j = o;
  for (; j + 1 < end; j += 2) {
    const u = x[j]!;
    const v = x[j + 1]!;
    m0 = u > m0 ? u : m0;
    l0 = u < l0 ? u : l0;
    m1 = v > m1 ? v : m1;
    l1 = v < l1 ? v : l1;
  }
  if (j < end) {
    const u = x[j]!;
    m0 = u > m0 ? u : m0;
    l0 = u < l0 ? u : l0;
  }
  const m = m0 > m1 ? m0 : m1;
  const low = l0 < l1 ? l0 : l1;
  if (!(m > -Infinity && m < Infinity && low > -Infinity)) return NaN;
  stats[ROW_MAX] = m;
  // every exponent in [-708, 0]: expUnchecked needs no clamp; wider rows take fastExp
  return m - low <= 708 ? expRow(x, o, cols, m, dst, d, stats) : expRowWide(x, o, cols, m, dst, d, stats);
}

/**
 * The exp pass for a row whose exponents x_j - m all lie in [-708, 0]: e_j = expUnchecked(x_j - m)
 * into dst, summed as described above (every addition Fast2Sum). A NaN makes s NaN. Writes
 * stats[ROW_REST] and returns s.
 */
function expRow(x: FloatArray, o: number, cols: number, m: number, dst: Float64Array, d: number, stats: Float64Array): number {
  let s0 = 1;
  let s1 = 1;
  let q0 = 0;
  let q1 = 0;
  let c0 = 0;
  let c1 = 0;
  const pairs = cols - (cols & 1);
  let j = 0;
  while (j < pairs) {
    const blockEnd = Math.min(j + SUM_BLOCK, pairs);
    let b0 = 0;
    let b1 = 0;
    for (; j < blockEnd; j += 2) {
      const a = expUnchecked(x[o + j]! - m);
      const b = expUnchecked(x[o + j + 1]! - m);
      dst[d + j] = a;
      dst[d + j + 1] = b;
      const y0 = s0 + a;
      const y1 = s1 + b;
      b0 += a - (y0 - s0);
      b1 += b - (y1 - s1);
      s0 = y0;
      s1 = y1;
    }
    const u0 = q0 + b0;
    const u1 = q1 + b1;
    c0 += twoSumError(q0, b0, u0);
    c1 += twoSumError(q1, b1, u1);
    q0 = u0;
    q1 = u1;
  }
  q0 += c0;
  q1 += c1;
  if (j < cols) {
    const a = expUnchecked(x[o + j]! - m);
    dst[d + j] = a;
    const y0 = s0 + a;
    q0 += a - (y0 - s0);
    s0 = y0;
  }
  return finish(s0, s1, q0 + q1, stats);
}

/**
 * The exp pass for rows whose exponents reach below -708 (fastExp clamps; x_j - m may even be
 * -Infinity for a row spanning more than the float64 range, and gives 0). Rare: one copy.
 */
function expRowWide(x: FloatArray, o: number, cols: number, m: number, dst: Float64Array, d: number, stats: Float64Array): number {
  let s0 = 1;
  let s1 = 1;
  let q0 = 0;
  let q1 = 0;
  let c0 = 0;
  let c1 = 0;
  const pairs = cols - (cols & 1);
  let j = 0;
  while (j < pairs) {
    const blockEnd = Math.min(j + SUM_BLOCK, pairs);
    let b0 = 0;
    let b1 = 0;
    for (; j < blockEnd; j += 2) {
      const a = fastExp(x[o + j]! - m);
      const b = fastExp(x[o + j + 1]! - m);
      dst[d + j] = a;
      dst[d + j + 1] = b;
      const y0 = s0 + a;
      const y1 = s1 + b;
      b0 += a - (y0 - s0);
      b1 += b - (y1 - s1);
      s0 = y0;
      s1 = y1;
    }
    const u0 = q0 + b0;
    const u1 = q1 + b1;
    c0 += twoSumError(q0, b0, u0);
    c1 += twoSumError(q1, b1, u1);
    q0 = u0;
    q1 = u1;
  }
  q0 += c0;
  q1 += c1;
  if (j < cols) {
    const a = fastExp(x[o + j]! - m);
    dst[d + j] = a;
    const y0 = s0 + a;
    q0 += a - (y0 - s0);
    s0 = y0;
  }
  return finish(s0, s1, q0 + q1, stats);
}

/** t = s - 1 and s from the two lanes' sums (each started at 1) and their rounding errors q. */
function finish(s0: number, s1: number, q: number, stats: Float64Array): number {
  const e = s0 - 1;
  const f = s1 - 1;
  const h = e + f;
  const bb = h - e;
  const lo = e - (h - bb) + (f - bb) + q;
  stats[ROW_REST] = h - 1 + lo;
  return h + lo;
}

/** log s = log1p(t) of a row's statistics: the row's log-sum-exp is m + this. */
export function logRowSum(stats: Float64Array): number {
  return fastLog1p(stats[ROW_REST]!);
}

/**
 * Σ_{j≠k} e_j of a row (so 1 - p_k = rest / s) given x_k and e_k: t when x_k is a max (s - 1
 * would cancel), else s - e_k (>= s / 2: no cancellation).
 */
export function restOf(stats: Float64Array, s: number, xk: number, ek: number): number {
  return xk === stats[ROW_MAX] ? stats[ROW_REST]! : s - ek;
}

/**
 * Writes a one-hot row's gradient g (softmax - onehot(k)) given a = g / s: out_j = a e_j for every j,
 * then out_k = -(a rest) with rest = Σ_{j≠k} e_j (restOf). `e` may be `out` itself (eo = o, a
 * float64 out).
 */
export function writeOneHotRow(out: FloatArray, o: number, e: Float64Array, eo: number, cols: number, k: number, a: number, rest: number): void {
  let j = 0;
  for (; j + 3 < cols; j += 4) {
    out[o + j] = a * e[eo + j]!;
    out[o + j + 1] = a * e[eo + j + 1]!;
    out[o + j + 2] = a * e[eo + j + 2]!;
    out[o + j + 3] = a * e[eo + j + 3]!;
  }
  for (; j < cols; j++) out[o + j] = a * e[eo + j]!;
  out[o + k] = -(a * rest);
}

/** Zeroes row [o, o + cols) of out (an ignored row's gradient). */
export function zeroRow(out: FloatArray, o: number, cols: number): void {
  out.fill(0, o, o + cols);
}

/** Throws the checkFinite message unless every x[o + j] is finite (an ignored row is still read). */
export function assertRowFinite(fn: string, x: FloatArray, o: number, cols: number): void {
  for (let j = o; j < o + cols; j++) if (x[j]! - x[j]! !== 0) checkFinite(fn, 'input', x);
}
