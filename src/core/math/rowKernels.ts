import type { FloatArray } from '../tensor/types';
import * as expModule from './fastExp';
import * as logModule from './fastLog';

// Module-local bindings of the imports used per element: CommonJS builds (tsx) read an import
// through a getter at each use, which V8 does not inline into a hot loop; these are read once.
const fastExp = expModule.fastExp;
const expUnchecked = expModule.expUnchecked;
const fastLog = logModule.fastLog;

/**
 * Row kernels over flat row-major data, shared by softmax-based losses.
 * Stable form: log sum_j exp(x_j) = m + log sum_j exp(x_j - m), m = max_j x_j,
 * so no exp overflows and the largest term is exactly exp(0) = 1. exp and log are
 * fastExp / fastLog (within one ulp, inlined by V8).
 *
 * Every row sum s = Σ_j exp(x_j - m) here is taken the same way, in two interleaved
 * accumulators (even and odd j) added at the end, so losses that share a formula
 * (crossEntropy, focalLoss at γ = 0, logSumExp) agree to the last bit.
 */

/** log sum_j exp(x[offset + j]) for j in [0, cols). */
export function logSumExpRow(x: FloatArray, offset: number, cols: number): number {
  let m = -Infinity;
  for (let j = 0; j < cols; j++) if (x[offset + j]! > m) m = x[offset + j]!;
  if (m === -Infinity || m === Infinity) return m;
  return m + fastLog(expSumRow(x, offset, cols, m));
}

/** Σ_j exp(x[o + j] - m) for j in [0, cols), summed as every row sum here (see above). */
export function expSumRow(x: FloatArray, o: number, cols: number, m: number): number {
  let s0 = 0;
  let s1 = 0;
  let j = 0;
  for (; j + 1 < cols; j += 2) {
    s0 += fastExp(x[o + j]! - m);
    s1 += fastExp(x[o + j + 1]! - m);
  }
  if (j < cols) s0 += fastExp(x[o + j]! - m);
  return s0 + s1;
}

/**
 * Writes e_j = exp(x[o + j] - m) to dst[d + j] for j in [0, cols) and returns Σ_j e_j (summed as
 * expSumRow), for a finite m >= every x_j. When `wide` is false the caller has checked
 * m - min_j x_j <= 708, so every exponent lies in [-708, 0] and the loop uses expUnchecked (no
 * clamp); when true it uses fastExp. Both give the same bits wherever both apply. A NaN x_j
 * makes the sum NaN. Float32 input; expRowF64 is the same loop for float64, a separate copy so
 * that each one's element loads stay monomorphic in V8.
 */
export function expRowF32(x: Float32Array, o: number, cols: number, m: number, wide: boolean, dst: Float64Array, d: number): number {
  if (wide) return expRowWide(x, o, cols, m, dst, d);
  let s0 = 0;
  let s1 = 0;
  let j = 0;
  for (; j + 1 < cols; j += 2) {
    const a = expUnchecked(x[o + j]! - m);
    const b = expUnchecked(x[o + j + 1]! - m);
    dst[d + j] = a;
    dst[d + j + 1] = b;
    s0 += a;
    s1 += b;
  }
  if (j < cols) s0 += dst[d + j] = expUnchecked(x[o + j]! - m);
  return s0 + s1;
}

/** expRowF32 for float64 input. */
export function expRowF64(x: Float64Array, o: number, cols: number, m: number, wide: boolean, dst: Float64Array, d: number): number {
  if (wide) return expRowWide(x, o, cols, m, dst, d);
  let s0 = 0;
  let s1 = 0;
  let j = 0;
  for (; j + 1 < cols; j += 2) {
    const a = expUnchecked(x[o + j]! - m);
    const b = expUnchecked(x[o + j + 1]! - m);
    dst[d + j] = a;
    dst[d + j + 1] = b;
    s0 += a;
    s1 += b;
  }
  if (j < cols) s0 += dst[d + j] = expUnchecked(x[o + j]! - m);
  return s0 + s1;
}

/** The rows whose exponents reach below -708: expRowF32's loop with fastExp. */
function expRowWide(x: FloatArray, o: number, cols: number, m: number, dst: Float64Array, d: number): number {
  let s0 = 0;
  let s1 = 0;
  let j = 0;
  for (; j + 1 < cols; j += 2) {
    const a = fastExp(x[o + j]! - m);
    const b = fastExp(x[o + j + 1]! - m);
    dst[d + j] = a;
    dst[d + j + 1] = b;
    s0 += a;
    s1 += b;
  }
  if (j < cols) s0 += dst[d + j] = fastExp(x[o + j]! - m);
  return s0 + s1;
}

/**
 * The max and min of x[o + j], j in [0, cols), into range[0] and range[1] (-Infinity and Infinity
 * for an empty or all-NaN row): comparisons that skip NaN, in two interleaved pairs. Float32 input;
 * rowRangeF64 is the same loop for float64.
 */
export function rowRangeF32(x: Float32Array, o: number, cols: number, range: Float64Array): void {
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
  range[0] = m0 > m1 ? m0 : m1;
  range[1] = l0 < l1 ? l0 : l1;
}

/** rowRangeF32 for float64 input. */
export function rowRangeF64(x: Float64Array, o: number, cols: number, range: Float64Array): void {
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
  range[0] = m0 > m1 ? m0 : m1;
  range[1] = l0 < l1 ? l0 : l1;
}

/** dst[d + j] = a * src[j] for j in [0, cols), four at a time. Float32 destination; scaleRowF64 for float64. */
export function scaleRowF32(dst: Float32Array, d: number, src: Float64Array, cols: number, a: number): void {
  let j = 0;
  for (; j + 3 < cols; j += 4) {
    dst[d + j] = a * src[j]!;
    dst[d + j + 1] = a * src[j + 1]!;
    dst[d + j + 2] = a * src[j + 2]!;
    dst[d + j + 3] = a * src[j + 3]!;
  }
  for (; j < cols; j++) dst[d + j] = a * src[j]!;
}

/** scaleRowF32 for a float64 destination; `src` may be `dst` itself at offset 0 with d = 0. */
export function scaleRowF64(dst: Float64Array, d: number, src: Float64Array, s: number, cols: number, a: number): void {
  let j = 0;
  for (; j + 3 < cols; j += 4) {
    dst[d + j] = a * src[s + j]!;
    dst[d + j + 1] = a * src[s + j + 1]!;
    dst[d + j + 2] = a * src[s + j + 2]!;
    dst[d + j + 3] = a * src[s + j + 3]!;
  }
  for (; j < cols; j++) dst[d + j] = a * src[s + j]!;
}

/** Whether x[o + j] is NaN for some j in [0, cols). */
export function rowHasNaN(x: FloatArray, o: number, cols: number): boolean {
  for (let j = o; j < o + cols; j++) if (x[j] !== x[j]) return true;
  return false;
}

/**
 * Writes softmax of one row into `out` (same offset) and returns the row's log-sum-exp:
 * e_j = exp(x_j - m) into `out` while summing s, then out_j = e_j / s; lse = m + log s.
 */
export function softmaxRowInto(x: FloatArray, offset: number, cols: number, out: Float64Array): number {
  let m = -Infinity;
  for (let j = 0; j < cols; j++) if (x[offset + j]! > m) m = x[offset + j]!;
  if (m === -Infinity || m === Infinity) {
    // no finite max: the row's log-sum-exp is m, and exp(x_j - m) gives 0 or NaN
    for (let j = 0; j < cols; j++) out[offset + j] = fastExp(x[offset + j]! - m);
    return m;
  }
  const s = expRowWide(x, offset, cols, m, out, offset);
  for (let j = offset; j < offset + cols; j++) out[j] = out[j]! / s;
  return m + fastLog(s);
}
