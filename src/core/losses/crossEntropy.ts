import { numberOption, optionalVector, parseOptions, reduction } from '../options';
import { logSumExpRow } from '../math/rowKernels';
import { gradScale, reduce } from '../reduce';
import { toClassIndices } from '../tensor/classIndices';
import { assertSameShape, checkNumbers, toFlat, toRows, type Rows } from '../tensor/flatten';
import { assertProbabilities } from '../tensor/probabilities';
import type { ClassIndices, FloatArray, Values } from '../tensor/types';
import { classWeights } from './classWeights';
import { defineLoss, type ReductionOptions } from './defineLoss';
import { labelWeightSum } from './labelWeightSum';

const spec = {
  reduction: reduction(),
  weight: optionalVector({ min: 0 }),
  ignoreIndex: numberOption(-100, { integer: true }),
  labelSmoothing: numberOption(0, { min: 0, max: 1 }),
};

export interface CrossEntropyOptions extends ReductionOptions {
  /** Per-class rescaling weights `w_c`, one per class (default all 1). */
  weight?: readonly number[] | Float64Array | Float32Array;
  /** A class-index target equal to this is skipped (default -100). */
  ignoreIndex?: number;
  /** ε in [0, 1]: targets become (1-ε)·onehot + ε/C (default 0). */
  labelSmoothing?: number;
}

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
export const crossEntropy = defineLoss<ClassIndices | Values, CrossEntropyOptions, ReturnType<typeof prepare>>({
  name: 'crossEntropy',
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
      out[o + j] = scale * (omegaSum * Math.exp(x[o + j]! - lse) - omega);
    }
  }
  return loss;
}

/**
 * Class-index targets without weights or smoothing (c.hard): ℓ = lse - x_k for target k, where
 * lse = m + log Σ_j exp(x_j - m), m the row's max. The input was read without its NaN scan:
 * a NaN makes its row's Math.max NaN, and only then is the input scanned to name it.
 */
function hardValue(c: Prepared, items: Float64Array | null): number {
  const { x, cols, labels, ignoreIndex } = c;
  let total = 0;
  for (let r = 0; r < c.rows; r++) {
    const o = r * cols;
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, x[o + j]!);
    if (m !== m) checkNumbers('crossEntropy', 'input', x);
    const k = labels![r]!;
    if (k === ignoreIndex) continue;
    const loss = logSumExpRow(x, o, cols) - x[o + k]!;
    total += loss;
    if (items) items[r] = loss;
  }
  return total;
}
/** hardValue that also writes scale * (softmax(x) - onehot(k)) per row; see hardRowsF32. */
function hardValueAndGrad(c: Prepared, out: FloatArray, scale: number, items: Float64Array | null): number {
  const { x } = c;
  const e = new Float64Array(c.cols);
  return x instanceof Float32Array && out instanceof Float32Array ? hardRowsF32(c, x, out, scale, e, items) : hardRowsAny(c, x, out, scale, e, items);
}

// One exp per element: e_j = exp(x_j - m) into the float64 scratch e while summing s, then
// out_j = (scale / s) e_j, and - scale at the target: scale (softmax_j - [j = k]). Ignored rows
// get a zero gradient; rows whose max is ±Infinity take
// the general path. Two copies of one loop keep V8's loads monomorphic (see mse).
function hardRowsF32(c: Prepared, x: Float32Array, out: Float32Array, scale: number, e: Float64Array, items: Float64Array | null): number {
  const { cols, labels, ignoreIndex } = c;
  let total = 0;
  for (let r = 0; r < c.rows; r++) {
    const o = r * cols;
    const k = labels![r]!;
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, x[o + j]!);
    if (m !== m) checkNumbers('crossEntropy', 'input', x);
    let loss = 0;
    if (k === ignoreIndex) {
      for (let j = 0; j < cols; j++) out[o + j] = 0;
    } else if (m === -Infinity || m === Infinity) {
      loss = rowLossAndGrad(c, r, out, scale);
    } else {
      let s = 0;
      for (let j = 0; j < cols; j++) s += e[j] = Math.exp(x[o + j]! - m);
      const a = scale / s;
      for (let j = 0; j < cols; j++) out[o + j] = a * e[j]!;
      out[o + k] = a * e[k]! - scale;
      loss = m + Math.log(s) - x[o + k]!;
    }
    total += loss;
    if (items) items[r] = loss;
  }
  return total;
}

function hardRowsAny(c: Prepared, x: FloatArray, out: FloatArray, scale: number, e: Float64Array, items: Float64Array | null): number {
  const { cols, labels, ignoreIndex } = c;
  let total = 0;
  for (let r = 0; r < c.rows; r++) {
    const o = r * cols;
    const k = labels![r]!;
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, x[o + j]!);
    if (m !== m) checkNumbers('crossEntropy', 'input', x);
    let loss = 0;
    if (k === ignoreIndex) {
      for (let j = 0; j < cols; j++) out[o + j] = 0;
    } else if (m === -Infinity || m === Infinity) {
      loss = rowLossAndGrad(c, r, out, scale);
    } else {
      let s = 0;
      for (let j = 0; j < cols; j++) s += e[j] = Math.exp(x[o + j]! - m);
      const a = scale / s;
      for (let j = 0; j < cols; j++) out[o + j] = a * e[j]!;
      out[o + k] = a * e[k]! - scale;
      loss = m + Math.log(s) - x[o + k]!;
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

function prepare(input: Values, target: ClassIndices | Values, options: unknown) {
  const fn = 'crossEntropy';
  const o = parseOptions(fn, options, spec);
  const rows = toRows(fn, 'input', input, { deferNaN: true });
  const weight = classWeights(fn, o.weight, rows.cols);
  const probs = probabilityTarget(fn, rows, target);
  const labels = probs ? null : toClassIndices(fn, 'target', target as ClassIndices, rows.rows, rows.cols, o.ignoreIndex);
  const count = probs ? rows.rows : labelWeightSum(labels!, weight, o.ignoreIndex);
  // The hard case's kernels find NaN in their own pass; the general path checks here.
  const hard = labels !== null && o.weight === undefined && o.labelSmoothing === 0;
  if (!hard) checkNumbers(fn, 'input', rows.data);
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
