import { INT32, numberOption, optionalVector, reduction, type OptionsOf, type Parsed } from '../options';
import * as expModule from '../math/fastExp';
import * as logModule from '../math/fastLog';
import * as rowModule from '../math/rowKernels';
import { WASM_WORK_AT, wasmKernels } from '../math/wasmKernels';
import { reserveWasmMemory } from '../math/wasmModule';
import { gradScale, reduce } from '../reduce';
import { toClassIndices } from '../tensor/classIndices';
import { assertSameShape, checkFinite, toFlat, toRows, type Rows } from '../tensor/flatten';
import { assertProbabilities } from '../tensor/probabilities';
import type { ClassIndices, FloatArray, Values } from '../tensor/types';
import { classWeights } from './classWeights';
import { defineLoss, type ReductionOptions } from './defineLoss';
import { labelWeightSum } from './labelWeightSum';

// Module-local bindings of the imports used per element or row: CommonJS builds (tsx) read an import
// through a getter at each use, which V8 does not inline into a hot loop; these are read once.
const fastExp = expModule.fastExp;
const fastLog = logModule.fastLog;
const { expRowF32, expRowF64, logSumExpRow, rowHasNaN, rowRangeF32, rowRangeF64, scaleRowF32, scaleRowF64 } = rowModule;

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** Per-class rescaling weights `w_c`, one per class (default all 1). */
  weight: optionalVector({ min: 0 }),
  /** A class-index target equal to this is skipped (default -100). */
  ignoreIndex: numberOption(-100, INT32),
  /** ε in [0, 1]: targets become (1-ε)·onehot + ε/C (default 0). */
  labelSmoothing: numberOption(0, { min: 0, max: 1 }),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type CrossEntropyOptions = OptionsOf<typeof spec>;

/**
 * Cross-entropy from logits (교차 엔트로피), softmax and negative log-likelihood fused.
 * With $\log p_{ic} = x_{ic} - \log\sum_k e^{x_{ik}}$ (stable, see logSumExp):
 *
 * - class-index targets $y_i$: $\ell_i = -(1-\varepsilon)\,w_{y_i}\log p_{i y_i} - \frac{\varepsilon}{C}\sum_c w_c \log p_{ic}$;
 *   `'mean'` divides $\sum_i \ell_i$ by $\sum_i w_{y_i}$ over non-ignored samples.
 * - probability targets $t_{ic}$ (same shape as input): $\ell_i = -\sum_c w_c t'_{ic}\log p_{ic}$,
 *   $t' = (1-\varepsilon)t + \varepsilon/C$; `'mean'` divides by $N$.
 *
 * - Options: `reduction` (`'mean'`), `weight` (all 1), `ignoreIndex` (-100, class targets only),
 *   `labelSmoothing` ε (0).
 * - Shapes: input `[N, C]` logits or `[C]` for one sample; target `[N]` class indices
 *   (a bare number for one sample) or `[N, C]` probabilities.
 * - Gradient: $\partial\ell_i/\partial x_{ic} = W_i p_{ic} - \omega_{ic}$ where $\omega_{ic}$ is the
 *   weighted (smoothed) target and $W_i = \sum_c \omega_{ic}$; for one-hot targets: softmax(x) - y.
 * - PyTorch: `F.cross_entropy(input, target, weight, ignore_index=-100, label_smoothing=0)`.
 *
 * @example
 * crossEntropy([[2, 1, 0.1]], [0]) // 0.4170300162778335
 * crossEntropy.grad([[0, 0]], [1]) // [[0.5, -0.5]]
 */
export const crossEntropy = defineLoss<ClassIndices | Values, typeof spec, ReturnType<typeof prepare>>({
  name: 'crossEntropy',
  options: spec,
  prepare,
  value(c) {
    const items = c.reduction === 'none' ? new Float64Array(c.rows) : null;
    let total = 0;
    if (c.hard) total = hardValue(c, items);
    else {
      for (let r = 0; r < c.rows; r++) {
        const loss = rowLossAndGrad(c, r, null, 0);
        total += loss;
        if (items) items[r] = loss;
      }
    }
    return reduce('crossEntropy', c.reduction, total, c.count, items);
  },
  grad(c, out) {
    const scale = gradScale('crossEntropy', c.reduction, c.count);
    if (c.hard) hardValueAndGrad(c, out, scale, null);
    else for (let r = 0; r < c.rows; r++) rowLossAndGrad(c, r, out, scale);
  },
  // One pass per row gives the row's loss and its gradient together.
  valueAndGrad(c, out) {
    const scale = gradScale('crossEntropy', c.reduction, c.count);
    const items = c.reduction === 'none' ? new Float64Array(c.rows) : null;
    let total = 0;
    if (c.hard) total = hardValueAndGrad(c, out, scale, items);
    else {
      for (let r = 0; r < c.rows; r++) {
        const loss = rowLossAndGrad(c, r, out, scale);
        total += loss;
        if (items) items[r] = loss;
      }
    }
    return reduce('crossEntropy', c.reduction, total, c.count, items);
  },
});

type Prepared = ReturnType<typeof prepare>;

/**
 * One row's loss; with `out`, also writes scale * d loss / d x for that row.
 * Gradient: d/dx_c [-Σ_k ω_k log p_k] = -ω_c + p_c Σ_k ω_k (softmax(o) - y for one-hot ω).
 */
function rowLossAndGrad(c: Prepared, r: number, out: FloatArray | null, scale: number): number {
  const { x, cols, weight } = c;
  const o = r * cols;
  const lse = logSumExpRow(x, o, cols);
  let loss = 0;
  let omegaSum = 0;
  for (let j = 0; j < cols; j++) {
    const omega = targetMass(c, r, j) * weight[j]!;
    if (omega !== 0) loss -= omega * (x[o + j]! - lse);
    omegaSum += omega;
  }
  if (out) {
    for (let j = 0; j < cols; j++) {
      const omega = targetMass(c, r, j) * weight[j]!;
      out[o + j] = scale * (omegaSum * fastExp(x[o + j]! - lse) - omega);
    }
  }
  return loss;
}

/**
 * Class-index targets without weights or smoothing (c.hard): ℓ = lse - x_k for target k, where
 * lse = m + log s, s = Σ_j exp(x_j - m), m the row's max. The input was read without its NaN scan:
 * the row kernels below find a NaN in their own passes, and only then is the input scanned to name it.
 * The value alone runs the same row kernels as valueAndGrad (into a scratch row), so both
 * give the same loss to the last bit.
 */
function hardValue(c: Prepared, items: Float64Array | null): number {
  const { x } = c;
  const e = new Float64Array(c.cols);
  if (x instanceof Float32Array) return hardRowsWasm(c, x, null, 0, e, items) ?? hardRowsF32(c, x, null, 0, e, items);
  return hardRowsF64(c, x, null, 0, e, items);
}

/** hardValue that also writes scale * (softmax(x) - onehot(k)) per row; see hardRowsF32. */
function hardValueAndGrad(c: Prepared, out: FloatArray, scale: number, items: Float64Array | null): number {
  const { x } = c;
  const e = new Float64Array(c.cols);
  if (x instanceof Float32Array && out instanceof Float32Array) return hardRowsWasm(c, x, out, scale, e, items) ?? hardRowsF32(c, x, out, scale, e, items);
  if (x instanceof Float64Array && out instanceof Float64Array) return hardRowsF64(c, x, out, scale, e, items);
  return hardRowsMixed(c, x, out, scale, e, items);
}

// Three passes per row: the max m (and the min, NaN skipped by both: rowRange*); e_j = exp(x_j - m)
// (expRowF32 / expRowF64: inlined exp, no clamp when m - min <= 708) into the float64 scratch e
// while summing s; with `out`, out_j = (scale / s) e_j and - scale at the target:
// scale (softmax_j - [j = k]). The loss is m + log s - x_k. A NaN makes s NaN, and only then is
// the input scanned to name it (ignored rows and rows without a finite max are scanned here).
// Ignored rows get a zero gradient; rows whose max is ±Infinity take the general path. The same
// loop three times, so each copy's element loads stay monomorphic in V8 (see mse): float32 input
// and gradient, float64 input and gradient (the exps go straight into `out`), and mixed. Float32
// input goes through the WebAssembly SIMD kernel first (hardRowsWasm: the same bits, 2x faster).
function hardRowsF32(c: Prepared, x: Float32Array, out: Float32Array | null, scale: number, e: Float64Array, items: Float64Array | null): number {
  const range = new Float64Array(2);
  let total = 0;
  for (let r = 0; r < c.rows; r++) {
    const loss = hardRowF32(c, x, out, scale, e, range, r);
    total += loss;
    if (items) items[r] = loss;
  }
  return total;
}

/** Row r of hardRowsF32: writes its gradient (with `out`) and returns its loss. */
function hardRowF32(c: Prepared, x: Float32Array, out: Float32Array | null, scale: number, e: Float64Array, range: Float64Array, r: number): number {
  const { cols, ignoreIndex } = c;
  const o = r * cols;
  const k = c.labels![r]!;
  rowRangeF32(x, o, cols, range);
  const m = range[0]!;
  const low = range[1]!;
  if (k === ignoreIndex || !(m > -Infinity && m < Infinity)) {
    if (rowHasNaN(x, o, cols)) checkFinite('crossEntropy', 'input', x);
    if (k !== ignoreIndex) return rowLossAndGrad(c, r, out, scale);
    if (out) for (let j = o; j < o + cols; j++) out[j] = 0;
    return 0;
  }
  const s = expRowF32(x, o, cols, m, m - low > 708, e, 0);
  if (s !== s) checkFinite('crossEntropy', 'input', x);
  if (out) {
    const a = scale / s;
    scaleRowF32(out, o, e, cols, a);
    out[o + k] = a * e[k]! - scale;
  }
  return m + fastLog(s) - x[o + k]!;
}

/**
 * hardRowsF32 through the WebAssembly SIMD kernel ceRowsF32 (the same bits), in chunks of rows
 * copied into its memory: it does the rows whose exponents all lie in [-708, 0] and leaves the
 * rest (ignored, non-finite, wide or NaN rows) to hardRowF32. Null where WebAssembly SIMD is
 * unavailable or the rows are too short to be worth the copies.
 */
function hardRowsWasm(c: Prepared, x: Float32Array, out: Float32Array | null, scale: number, e: Float64Array, items: Float64Array | null): number | null {
  const { cols, rows, ignoreIndex } = c;
  const k = cols >= 16 ? wasmKernels() : null;
  if (!k) return null;
  const labels = c.labels!;
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
  const range = new Float64Array(2);
  let total = 0;
  for (let r0 = 0; r0 < rows; r0 += chunk) {
    const n = Math.min(chunk, rows - r0);
    xw.set(x.subarray(r0 * cols, (r0 + n) * cols));
    lw.set(labels.subarray(r0, r0 + n));
    k.ceRowsF32(xAt, outAt, eAt, labAt, resAt, n, cols, scale, ignoreIndex);
    if (out) out.set(n === chunk ? ow : ow.subarray(0, n * cols), r0 * cols);
    for (let i = 0; i < n; i++) {
      const r = r0 + i;
      const loss = res[3 * i + 2] === 0 ? res[3 * i]! + fastLog(res[3 * i + 1]!) - x[r * cols + labels[r]!]! : hardRowF32(c, x, out, scale, e, range, r);
      total += loss;
      if (items) items[r] = loss;
    }
  }
  return total;
}

function hardRowsF64(c: Prepared, x: Float64Array, out: Float64Array | null, scale: number, e: Float64Array, items: Float64Array | null): number {
  const { cols, labels, ignoreIndex } = c;
  const range = new Float64Array(2);
  let total = 0;
  for (let r = 0; r < c.rows; r++) {
    const o = r * cols;
    const k = labels![r]!;
    rowRangeF64(x, o, cols, range);
    const m = range[0]!;
    const low = range[1]!;
    let loss = 0;
    if (k === ignoreIndex || !(m > -Infinity && m < Infinity)) {
      if (rowHasNaN(x, o, cols)) checkFinite('crossEntropy', 'input', x);
      if (k !== ignoreIndex) loss = rowLossAndGrad(c, r, out, scale);
      else if (out) for (let j = o; j < o + cols; j++) out[j] = 0;
    } else {
      // the exps go straight into `out` when there is one
      const dst = out ?? e;
      const d = out ? o : 0;
      const s = expRowF64(x, o, cols, m, m - low > 708, dst, d);
      if (s !== s) checkFinite('crossEntropy', 'input', x);
      if (out) {
        const a = scale / s;
        const ek = out[o + k]!;
        scaleRowF64(out, o, out, o, cols, a);
        out[o + k] = a * ek - scale;
      }
      loss = m + fastLog(s) - x[o + k]!;
    }
    total += loss;
    if (items) items[r] = loss;
  }
  return total;
}

function hardRowsMixed(c: Prepared, x: FloatArray, out: FloatArray, scale: number, e: Float64Array, items: Float64Array | null): number {
  const { cols, labels, ignoreIndex } = c;
  const range = new Float64Array(2);
  let total = 0;
  for (let r = 0; r < c.rows; r++) {
    const o = r * cols;
    const k = labels![r]!;
    if (x instanceof Float32Array) rowRangeF32(x, o, cols, range);
    else rowRangeF64(x, o, cols, range);
    const m = range[0]!;
    const low = range[1]!;
    let loss = 0;
    if (k === ignoreIndex || !(m > -Infinity && m < Infinity)) {
      if (rowHasNaN(x, o, cols)) checkFinite('crossEntropy', 'input', x);
      if (k !== ignoreIndex) loss = rowLossAndGrad(c, r, out, scale);
      else for (let j = o; j < o + cols; j++) out[j] = 0;
    } else {
      const wide = m - low > 708;
      const s = x instanceof Float32Array ? expRowF32(x, o, cols, m, wide, e, 0) : expRowF64(x, o, cols, m, wide, e, 0);
      if (s !== s) checkFinite('crossEntropy', 'input', x);
      const a = scale / s;
      for (let j = 0; j < cols; j++) out[o + j] = a * e[j]!;
      out[o + k] = a * e[k]! - scale;
      loss = m + fastLog(s) - x[o + k]!;
    }
    total += loss;
    if (items) items[r] = loss;
  }
  return total;
}

/** The smoothed target's mass on class j of row r (0 for an ignored row). */
function targetMass(c: Prepared, r: number, j: number): number {
  const { eps, cols } = c;
  if (c.probs) return (1 - eps) * c.probs[r * cols + j]! + eps / cols;
  const k = c.labels![r]!;
  if (k === c.ignoreIndex) return 0;
  return (k === j ? 1 - eps : 0) + eps / cols;
}

function prepare(input: Values, target: ClassIndices | Values, o: Parsed<typeof spec>) {
  const fn = 'crossEntropy';
  const rows = toRows(fn, 'input', input, { deferScan: true });
  const weight = classWeights(fn, o.weight, rows.cols);
  const probs = probabilityTarget(fn, rows, target);
  const labels = probs ? null : toClassIndices(fn, 'target', target as ClassIndices, rows.rows, rows.cols, o.ignoreIndex);
  const count = probs ? rows.rows : labelWeightSum(labels!, weight, o.ignoreIndex);
  // The hard case's kernels find NaN in their own pass; the general path checks here.
  const hard = labels !== null && o.weight === undefined && o.labelSmoothing === 0;
  if (!hard) checkFinite(fn, 'input', rows.data);
  return { x: rows.data, rows: rows.rows, cols: rows.cols, size: rows.data.length, reduction: o.reduction, weight, ignoreIndex: o.ignoreIndex, eps: o.labelSmoothing, probs, labels, count, hard };
}

/**
 * Nested arrays and tensors hold class probabilities, and so does a flat target
 * of length C for a single `[C]` input (C > 1); anything else holds class indices.
 */
function probabilityTarget(fn: string, input: Rows, target: ClassIndices | Values): FloatArray | null {
  if (typeof target === 'number') return null;
  const flatList = Array.isArray(target) ? !Array.isArray(target[0]) : ArrayBuffer.isView(target);
  if (flatList && !(input.shape.length === 1 && (target as ArrayLike<number>).length === input.cols && input.cols > 1)) return null;
  const t = toFlat(fn, 'target', target as Values);
  assertSameShape(fn, input, 'input', t, 'target');
  assertProbabilities(fn, 'target', t.data);
  return t.data;
}
