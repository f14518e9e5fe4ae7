import { checkFinite } from '../tensor/flatten';
import type { FloatArray } from '../tensor/types';
import * as expModule from './fastExp';
import * as logModule from './fastLog';

// Module-local bindings of the imports used per element: CommonJS builds (tsx) read an import
// through a getter at each use, which V8 does not inline into a hot loop; these are read once.
const fastExp = expModule.fastExp;
const expUnchecked = expModule.expUnchecked;
const fastLog1p = logModule.fastLog1p;

/**
 * The softmax cross-entropy row kernel: one row's softmax statistics, from which every
 * softmax-based loss and helper takes its value and gradient (crossEntropy, the `fromLogits`
 * paths of categorical / sparseCategoricalCrossEntropy, focalLoss, softmax, logSoftmax,
 * logSumExp). exp and log are fastExp / fastLog1p (within one ulp).
 *
 * For a row x with max m, let e_j = exp(x_j - m), c the number of j with x_j = m (their e_j are
 * exactly 1) and t = Σ_{x_j < m} e_j, so that s = Σ_j e_j = c + t. Then
 *
 *   log s       = log1p((c - 1) + t)                       (exact argument when c = 1: t itself)
 *   log p_j     = (x_j - m) - log s                        (both terms <= 0: no cancellation)
 *   -log p_k    = (m - x_k) + log1p((c - 1) + t)
 *   1 - p_k     = rest_k / s, rest_k = (c - 1) + t if x_k = m, else s - e_k   (Σ_{j≠k} e_j)
 *
 * The naive m + log s - x_k rounds at the size of m (crossEntropy([[1e16, 1e16]], [0]) gave 0,
 * not ln 2) and log(1 + t) loses t below ulp(1) ([[0, 40]] gave 0, not 4.2e-18); summing t
 * without the max's exact 1 keeps every digit of t, so a confident row's loss log1p(t) and its
 * target gradient -(1 - p_k) = -t / s are accurate to a few ulps however small t is.
 *
 * Every row sum is taken the same way, in two interleaved accumulators (even and odd j) added
 * at the end, which is also how the WebAssembly kernel (ceRowsF32, two f64x2 lanes) sums, so
 * the two paths and every loss sharing a formula (crossEntropy, focalLoss at γ = 0, sparse
 * categorical from logits) agree to the last bit.
 */

/** The slots of a row's statistics in the `stats` array the kernel writes: m, t, c. */
export const ROW_MAX = 0;
export const ROW_REST = 1;
export const ROW_TIES = 2;

/**
 * softmaxRow for float32 data: fills dst[d + j] = exp(x[o + j] - m) for j in [0, cols), writes
 * stats = [m, t, c] (see above) and returns s = c + t; NaN when the row holds a NaN or ±Infinity
 * (the callers then name it with checkFinite). A float32 copy of softmaxRowF64, so that each
 * one's element loads stay monomorphic in V8: one FloatArray version fed both kinds took
 * 2.6-3.2 ms where this copy takes 1.7 ms for [12800 x 10] float32 rows (the MNIST shape, below
 * the WebAssembly kernel's 16 columns; best of 23 runs on the 2-core bench machine), and was
 * within the noise for [4096 x 1000] rows.
 */
export function softmaxRowF32(x: Float32Array, o: number, cols: number, dst: Float64Array, d: number, stats: Float64Array): number {
  // max and min, NaN skipped by both comparisons (a NaN shows in the sums below)
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
  return m - low <= 708 ? expRowF32(x, o, cols, m, dst, d, stats) : expRowWide(x, o, cols, m, dst, d, stats);
}

/** softmaxRowF32 for float64 data. */
export function softmaxRowF64(x: Float64Array, o: number, cols: number, dst: Float64Array, d: number, stats: Float64Array): number {
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
  return m - low <= 708 ? expRowF64(x, o, cols, m, dst, d, stats) : expRowWide(x, o, cols, m, dst, d, stats);
}

/** softmaxRowF32 or softmaxRowF64, by the kind of `x` (for callers outside the hot loops). */
export function softmaxRow(x: FloatArray, o: number, cols: number, dst: Float64Array, d: number, stats: Float64Array): number {
  return x instanceof Float32Array ? softmaxRowF32(x, o, cols, dst, d, stats) : softmaxRowF64(x, o, cols, dst, d, stats);
}

/**
 * The exp pass for a row whose exponents z_j = x_j - m all lie in [-708, 0]: e_j = expUnchecked(z_j)
 * into dst, z_j < 0 summed into t and z_j = 0 (e_j = 1) counted into c, even and odd j apart.
 * t is summed with TwoSum's error terms (a 5000-term row: 2e-16 relative, not 3e-15), so it is
 * as accurate as its terms. A NaN z_j (NaN input) lands in c, so s is NaN. Writes
 * stats[ROW_REST], stats[ROW_TIES] and returns s.
 */
function expRowF32(x: Float32Array, o: number, cols: number, m: number, dst: Float64Array, d: number, stats: Float64Array): number {
  // t in two lanes, each with TwoSum's rounding errors collected in q (compensated summation)
  let t0 = 0;
  let t1 = 0;
  let q0 = 0;
  let q1 = 0;
  let c0 = 0;
  let c1 = 0;
  let j = 0;
  for (; j + 1 < cols; j += 2) {
    const u = x[o + j]! - m;
    const v = x[o + j + 1]! - m;
    const a = expUnchecked(u);
    const b = expUnchecked(v);
    dst[d + j] = a;
    dst[d + j + 1] = b;
    if (u < 0) {
      const y = t0 + a;
      const w = y - t0;
      q0 += t0 - (y - w) + (a - w);
      t0 = y;
    } else c0 += a;
    if (v < 0) {
      const y = t1 + b;
      const w = y - t1;
      q1 += t1 - (y - w) + (b - w);
      t1 = y;
    } else c1 += b;
  }
  if (j < cols) {
    const u = x[o + j]! - m;
    const a = expUnchecked(u);
    dst[d + j] = a;
    if (u < 0) {
      const y = t0 + a;
      const w = y - t0;
      q0 += t0 - (y - w) + (a - w);
      t0 = y;
    } else c0 += a;
  }
  const t = t0 + t1 + (q0 + q1);
  const c = c0 + c1;
  stats[ROW_REST] = t;
  stats[ROW_TIES] = c;
  return c + t;
}

/** expRowF32 for float64 data. */
function expRowF64(x: Float64Array, o: number, cols: number, m: number, dst: Float64Array, d: number, stats: Float64Array): number {
  // t in two lanes, each with TwoSum's rounding errors collected in q (compensated summation)
  let t0 = 0;
  let t1 = 0;
  let q0 = 0;
  let q1 = 0;
  let c0 = 0;
  let c1 = 0;
  let j = 0;
  for (; j + 1 < cols; j += 2) {
    const u = x[o + j]! - m;
    const v = x[o + j + 1]! - m;
    const a = expUnchecked(u);
    const b = expUnchecked(v);
    dst[d + j] = a;
    dst[d + j + 1] = b;
    if (u < 0) {
      const y = t0 + a;
      const w = y - t0;
      q0 += t0 - (y - w) + (a - w);
      t0 = y;
    } else c0 += a;
    if (v < 0) {
      const y = t1 + b;
      const w = y - t1;
      q1 += t1 - (y - w) + (b - w);
      t1 = y;
    } else c1 += b;
  }
  if (j < cols) {
    const u = x[o + j]! - m;
    const a = expUnchecked(u);
    dst[d + j] = a;
    if (u < 0) {
      const y = t0 + a;
      const w = y - t0;
      q0 += t0 - (y - w) + (a - w);
      t0 = y;
    } else c0 += a;
  }
  const t = t0 + t1 + (q0 + q1);
  const c = c0 + c1;
  stats[ROW_REST] = t;
  stats[ROW_TIES] = c;
  return c + t;
}

/**
 * The exp pass for rows whose exponents reach below -708 (fastExp clamps; x_j - m may even be
 * -Infinity for a row spanning more than the float64 range, and gives 0). Rare: one copy.
 */
function expRowWide(x: FloatArray, o: number, cols: number, m: number, dst: Float64Array, d: number, stats: Float64Array): number {
  // t in two lanes, each with TwoSum's rounding errors collected in q (compensated summation)
  let t0 = 0;
  let t1 = 0;
  let q0 = 0;
  let q1 = 0;
  let c0 = 0;
  let c1 = 0;
  let j = 0;
  for (; j + 1 < cols; j += 2) {
    const u = x[o + j]! - m;
    const v = x[o + j + 1]! - m;
    const a = fastExp(u);
    const b = fastExp(v);
    dst[d + j] = a;
    dst[d + j + 1] = b;
    if (u < 0) {
      const y = t0 + a;
      const w = y - t0;
      q0 += t0 - (y - w) + (a - w);
      t0 = y;
    } else c0 += a;
    if (v < 0) {
      const y = t1 + b;
      const w = y - t1;
      q1 += t1 - (y - w) + (b - w);
      t1 = y;
    } else c1 += b;
  }
  if (j < cols) {
    const u = x[o + j]! - m;
    const a = fastExp(u);
    dst[d + j] = a;
    if (u < 0) {
      const y = t0 + a;
      const w = y - t0;
      q0 += t0 - (y - w) + (a - w);
      t0 = y;
    } else c0 += a;
  }
  const t = t0 + t1 + (q0 + q1);
  const c = c0 + c1;
  stats[ROW_REST] = t;
  stats[ROW_TIES] = c;
  return c + t;
}

/** log s = log1p((c - 1) + t) of a row's statistics: the row's log-sum-exp is m + this. */
export function logRowSum(stats: Float64Array): number {
  return fastLog1p(stats[ROW_TIES]! - 1 + stats[ROW_REST]!);
}

/**
 * Σ_{j≠k} e_j of a row (so 1 - p_k = rest / s) given e_k = dst value at k and x_k: exact-argument
 * (c - 1) + t when x_k is the max (s - e_k would cancel), else s - e_k (>= s / 2: no cancellation).
 */
export function restOf(stats: Float64Array, s: number, xk: number, ek: number): number {
  return xk === stats[ROW_MAX] ? stats[ROW_TIES]! - 1 + stats[ROW_REST]! : s - ek;
}

/**
 * Writes a one-hot row's gradient g (softmax - onehot(k)) given a = g / s: out_j = a e_j for every j,
 * then out_k = -(a rest) with rest = Σ_{j≠k} e_j (restOf). `e` may be `out` itself (eo = o, a
 * float64 out). One version for both destinations: float32 / float64 copies ran no faster
 * ([4096 x 1000] and [12800 x 10] rows, both kinds: within the machine's noise or slower).
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
