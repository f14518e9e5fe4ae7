import { overflow } from '../errors';
import { ddAdd, ddMul, ddSoftmaxRow, type DD } from '../math/doubleDouble';
import * as logModule from '../math/fastLog';
import * as rowModule from '../math/rowKernels';
import * as sumModule from '../math/twoSum';
import { WASM_WORK_AT, wasmKernels } from '../math/wasmKernels';
import { reserveWasmMemory } from '../math/wasmModule';
import { checkFinite } from '../tensor/flatten';
import type { FloatArray } from '../tensor/types';

// Module-local bindings of the imports used per row (see rowKernels).
const fastLog1p = logModule.fastLog1p;
const { compensated, twoSumError } = sumModule;
const { assertRowFinite, restOf, softmaxRow, writeOneHotRow, zeroRow } = rowModule;
const { ROW_MAX, ROW_REST } = rowModule;

/**
 * Softmax cross-entropy over rows of logits, on the row kernel of math/rowKernels.ts: the
 * class-index rows (hardRows: crossEntropy without weights or smoothing, sparse categorical
 * from logits) and the weighted-target rows (softRow: class weights, label smoothing,
 * probability targets, Keras's categorical from logits). Both read their input unscanned
 * (`deferScan`): a NaN or ±Infinity makes the kernel's row sum NaN, and only then is the input
 * scanned to name it.
 */

/** Class-index rows: logits x[rows, cols], one label per row (`ignoreIndex` rows give 0). */
export interface LabelRows {
  readonly x: FloatArray;
  readonly rows: number;
  readonly cols: number;
  readonly labels: Int32Array;
  /** Labels equal to this are skipped (pass -1 when nothing is ignored: labels are >= 0). */
  readonly ignoreIndex: number;
}

/**
 * Σ_i ℓ_i over the rows (compensated: see twoSum), ℓ_i = -log softmax(x_i)_{k_i} = (m - x_k) + log1p(t)
 * (see rowKernels); `items[i] = ℓ_i` when given. With `out`, writes scale · (softmax(x_i) - onehot(k_i))
 * per row: scale e_j / s, and -scale rest_k / s at the label (1 - p_k without cancellation).
 * Ignored rows give 0 and a zero gradient row. Float32 logits go through the WebAssembly SIMD
 * kernel first (hardRowsWasm, the same bits).
 */
export function hardRows(fn: string, c: LabelRows, out: FloatArray | null, scale: number, items: Float64Array | null): number {
  if (c.x instanceof Float32Array && !(out instanceof Float64Array)) {
    const total = hardRowsWasm(fn, c, c.x, out, scale, items);
    if (total !== null) return total;
  }
  const e = new Float64Array(c.cols);
  const stats = new Float64Array(2);
  let total = 0;
  let error = 0;
  for (let r = 0; r < c.rows; r++) {
    const loss = hardRow(fn, c, r, out, scale, e, stats);
    const sum = total + loss;
    error += twoSumError(total, loss, sum);
    total = sum;
    if (items) items[r] = loss;
  }
  return compensated(total, error);
}

/** Row r of hardRows: writes its gradient (with `out`) and returns its loss. */
function hardRow(fn: string, c: LabelRows, r: number, out: FloatArray | null, scale: number, e: Float64Array, stats: Float64Array): number {
  const { x, cols } = c;
  const o = r * cols;
  const k = c.labels[r]!;
  if (k === c.ignoreIndex) {
    assertRowFinite(fn, x, o, cols);
    if (out) zeroRow(out, o, cols);
    return 0;
  }
  // with a float64 `out` the exps go straight into it and are scaled in place
  const inPlace = out instanceof Float64Array;
  const dst = inPlace ? out : e;
  const d = inPlace ? o : 0;
  const s = softmaxRow(x, o, cols, dst, d, stats);
  if (s !== s) checkFinite(fn, 'input', x);
  const xk = x[o + k]!;
  if (out) writeOneHotRow(out, o, dst, d, cols, k, scale / s, restOf(stats, s, xk, dst[d + k]!));
  return stats[ROW_MAX]! - xk + fastLog1p(stats[ROW_REST]!);
}

/**
 * hardRows through the WebAssembly SIMD kernel ceRowsF32 (tools/generate/wasm/lossKernelsSource.ts:
 * hardRow's operations in the same order, so the same bits), in chunks of rows copied into its
 * memory. It does the rows whose exponents all lie in [-708, 0] and returns their m and t; it
 * leaves the rest (ignored, wide, non-finite) to hardRow. Null where WebAssembly SIMD is
 * unavailable or the rows are too short to be worth the copies (cols < 16).
 */
function hardRowsWasm(fn: string, c: LabelRows, x: Float32Array, out: Float32Array | null, scale: number, items: Float64Array | null): number | null {
  const { cols, rows, labels } = c;
  const k = cols >= 16 ? wasmKernels() : null;
  if (!k) return null;
  const chunk = Math.max(1, Math.min(rows, Math.floor(16384 / cols)));
  const xAt = WASM_WORK_AT;
  const outAt = xAt + 4 * chunk * cols;
  const eAt = outAt + 4 * chunk * cols + 8 - ((outAt + 4 * chunk * cols) % 8);
  const labAt = eAt + 8 * cols;
  const resAt = labAt + 4 * chunk + 8 - ((labAt + 4 * chunk) % 8);
  reserveWasmMemory(k, resAt + 24 * chunk);
  const buffer = k.memory.buffer;
  const xw = new Float32Array(buffer, xAt, chunk * cols);
  const ow = new Float32Array(buffer, outAt, chunk * cols);
  const lw = new Int32Array(buffer, labAt, chunk);
  const res = new Float64Array(buffer, resAt, 3 * chunk);
  const e = new Float64Array(cols);
  const stats = new Float64Array(2);
  let total = 0;
  let error = 0;
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const n = Math.min(chunk, rows - r0);
    xw.set(x.subarray(r0 * cols, (r0 + n) * cols));
    lw.set(labels.subarray(r0, r0 + n));
    k.ceRowsF32(xAt, outAt, eAt, labAt, resAt, n, cols, scale, c.ignoreIndex);
    if (out) out.set(n === chunk ? ow : ow.subarray(0, n * cols), r0 * cols);
    for (let i = 0; i < n; i++) {
      const r = r0 + i;
      const loss = res[3 * i + 2] === 0 ? res[3 * i]! - x[r * cols + labels[r]!]! + fastLog1p(res[3 * i + 1]!) : hardRow(fn, c, r, out, scale, e, stats);
      const sum = total + loss;
      error += twoSumError(total, loss, sum);
      total = sum;
      if (items) items[r] = loss;
    }
  }
  return compensated(total, error);
}

/**
 * A gradient below this fraction of its two terms W p_j and ω_j is recomputed in double-double.
 * Above it the float64 gradient is within a few ulps of W p_j + ω_j (absolutely), so within 1e-12
 * relative wherever the terms cancel by less than 2^11. A threshold of 2^-10 (1e-12 everywhere)
 * recomputed so many rows that label smoothing 0.1 on the bench's [4096 x 1000] float32 logits
 * took 3.8 s instead of 55 ms; 2^-30 catches a gradient that is the rounding error of its target
 * (p - fl(p)) and leaves every other row in float64.
 */
const CANCELS = 2 ** -30;

/**
 * Rewrites the row's out_j = scale (W p_j - ω_j) from a double-double softmax (see doubleDouble),
 * for a row where W p_j and ω_j cancel: near a soft target equal to the softmax the gradient is
 * their rounding error, which float64 cannot see. Rare (such rows only; ~50x the float64 row's time).
 */
function exactRow(x: FloatArray, o: number, cols: number, m: number, omega: ArrayLike<number>, wo: number, out: FloatArray, scale: number): void {
  const pHi = new Float64Array(cols);
  const pLo = new Float64Array(cols);
  ddSoftmaxRow(x, o, cols, m, pHi, pLo);
  let W: DD = { hi: 0, lo: 0 };
  for (let j = 0; j < cols; j++) W = ddAdd(W, { hi: omega[wo + j]!, lo: 0 });
  for (let j = 0; j < cols; j++) {
    const g = ddAdd(ddMul(W, { hi: pHi[j]!, lo: pLo[j]! }), { hi: -omega[wo + j]!, lo: 0 });
    out[o + j] = scale * (g.hi + g.lo);
  }
}

/**
 * One row of weighted targets ω_j >= 0 (omega[wo + j]): returns ℓ = -Σ_j ω_j log p_j and, with
 * `out`, writes scale · ∂ℓ/∂x_j = scale (W p_j - ω_j), W = Σ_j ω_j (softmax(x) - y for one-hot ω).
 * `e` is a scratch row of cols, `stats` of 2; `r` names the row in an error.
 *
 * Stable forms: ℓ = Σ_j ω_j (m - x_j) + W log1p(t), every term >= 0 (ω_j = 0 terms
 * skipped: m - x_j may be Infinity); for x_j < m the gradient is W e_j / s - ω_j, and at the max,
 * where p_j may be within an ulp of 1, W p_j - ω_j = (W - ω_j) - W (1 - p_j) with
 * W - ω_j = W_below + (W_max - ω_j) summed apart and 1 - p_j = t / s.
 */
export function softRow(
  fn: string,
  x: FloatArray,
  o: number,
  cols: number,
  omega: ArrayLike<number>,
  wo: number,
  r: number,
  out: FloatArray | null,
  scale: number,
  e: Float64Array,
  stats: Float64Array,
): number {
  const s = softmaxRow(x, o, cols, e, 0, stats);
  if (s !== s) checkFinite(fn, 'input', x);
  const m = stats[ROW_MAX]!;
  const rest = stats[ROW_REST]!;
  // compensated (twoSumError) sums of the loss terms and of the target mass W, which the gradient
  // W p_j - ω_j cancels: with plain sums labelSmoothing 0.1 on [64 x 1000] float64 logits was
  // 6.0e-16 from the exact value and 1.1e-14 in the gradient (PyTorch float64: 6.2e-18 and
  // 2.0e-15), compensated 6.2e-18 and 5.6e-16, at no cost measurable on [4096 x 1000] float32
  // rows (valueAndGrad, min of 12: 90.6 ms before, 80.7 ms after)
  let loss = 0;
  let lossError = 0;
  let belowSum = 0;
  let belowError = 0;
  let atMax = 0;
  let atMaxError = 0;
  for (let j = 0; j < cols; j++) {
    const w = omega[wo + j]!;
    const z = m - x[o + j]!;
    if (w !== 0) {
      const term = w * z;
      const sum = loss + term;
      lossError += twoSumError(loss, term, sum);
      loss = sum;
    }
    if (z > 0) {
      const sum = belowSum + w;
      belowError += twoSumError(belowSum, w, sum);
      belowSum = sum;
    } else {
      const sum = atMax + w;
      atMaxError += twoSumError(atMax, w, sum);
      atMax = sum;
    }
  }
  const below = compensated(belowSum, belowError);
  const maxMass = compensated(atMax, atMaxError);
  const W = below + maxMass;
  if (!(W < Infinity)) overflow(fn, `the target mass Σ_c w_c t_c of row ${r}`, W);
  const last = W * fastLog1p(rest);
  const total = loss + last;
  lossError += twoSumError(loss, last, total);
  loss = compensated(total, lossError);
  if (out) {
    const a = W / s;
    const b = a * rest;
    let cancels = false;
    for (let j = 0; j < cols; j++) {
      const w = omega[wo + j]!;
      const under = x[o + j]! < m;
      const wp = under ? a * e[j]! : W - b;
      const g = under ? wp - w : below + (maxMass - w) - b;
      // W p_j and ω_j agree to 30 bits: the float64 g has at most a few bits left
      if (Math.abs(g) < CANCELS * (wp + w)) cancels = true;
      out[o + j] = scale * g;
    }
    if (cancels) exactRow(x, o, cols, m, omega, wo, out, scale);
  }
  return loss;
}
