import { fail } from '../errors';
import * as expModule from '../math/fastExp';
import { logSumExpRow } from '../math/rowKernels';
import { gradScale, reduce } from '../reduce';
import { assertProbabilities } from '../tensor/probabilities';
import type { Rows } from '../tensor/flatten';
import type { FloatArray, Reduction } from '../tensor/types';

// Module-local bindings of the imports used per element: CommonJS builds (tsx) read an import
// through a getter at each use, which V8 does not inline into a hot loop; these are read once.
const fastExp = expModule.fastExp;

/** Keras's backend epsilon: probabilities are clipped to [EPSILON, 1 - EPSILON] before the log. */
export const EPSILON = 1e-7;

/** A batch for Keras's categorical cross-entropy: input rows and same-shaped target masses. */
export interface CategoricalBatch {
  readonly x: FloatArray;
  readonly t: FloatArray;
  readonly rows: number;
  readonly cols: number;
  readonly size: number;
  readonly fromLogits: boolean;
  readonly reduction: Reduction;
}

/** Checks a probability input: values in [0, 1] and each row's sum positive (rows are divided by it). */
export function assertProbabilityRows(fn: string, input: Rows): void {
  assertProbabilities(fn, 'input', input.data);
  for (let r = 0; r < input.rows; r++) {
    let s = 0;
    for (let j = 0; j < input.cols; j++) s += input.data[r * input.cols + j]!;
    if (!(s > 0)) fail(fn, `the sum of input row ${r}`, '> 0 (each row is divided by its sum)', String(s));
  }
}

/**
 * One pass over the rows: the reduced loss (per-sample values for `'none'`; `'mean'` divides by
 * the sample count), and with `out` the gradient written alongside.
 */
export function categoricalPass(fn: string, c: CategoricalBatch, out: FloatArray | null): number | Float64Array {
  const scale = gradScale(fn, c.reduction, c.rows);
  const items = c.reduction === 'none' ? new Float64Array(c.rows) : null;
  let total = 0;
  for (let r = 0; r < c.rows; r++) {
    const loss = c.fromLogits ? logitRow(c, r, out, scale) : probabilityRow(c, r, out, scale);
    total += loss;
    if (items) items[r] = loss;
  }
  return reduce(fn, c.reduction, total, c.rows, items);
}

/**
 * Keras on probabilities: q = p / Σp, r = clip(q, ε, 1 - ε), loss = -Σ_c t_c log r_c.
 * Backward: g_c = dloss/dq_c = -t_c / q_c where ε <= q_c <= 1 - ε, else 0 (the clip is flat there);
 * dq_c/dp_k = (δ_ck - q_c) / Σp, so dloss/dp_k = (g_k - Σ_c g_c q_c) / Σp = (g_k + Σ_{c unclipped} t_c) / Σp.
 */
function probabilityRow(c: CategoricalBatch, r: number, out: FloatArray | null, scale: number): number {
  const { x, t, cols } = c;
  const o = r * cols;
  let sum = 0;
  for (let j = 0; j < cols; j++) sum += x[o + j]!;
  let loss = 0;
  let kept = 0;
  for (let j = 0; j < cols; j++) {
    const q = x[o + j]! / sum;
    loss -= t[o + j]! * Math.log(Math.min(Math.max(q, EPSILON), 1 - EPSILON));
    if (q >= EPSILON && q <= 1 - EPSILON) kept += t[o + j]!;
  }
  if (out) {
    for (let j = 0; j < cols; j++) {
      const q = x[o + j]! / sum;
      const g = q >= EPSILON && q <= 1 - EPSILON ? -t[o + j]! / q : 0;
      out[o + j] = (scale * (g + kept)) / sum;
    }
  }
  return loss;
}

/**
 * Keras on logits: loss = -Σ_c t_c log softmax(x)_c = Σ_c t_c (lse - x_c), lse stable (see logSumExp).
 * Backward: dloss/dx_k = softmax(x)_k Σ_c t_c - t_k (softmax(x) - t for a one-hot t).
 */
function logitRow(c: CategoricalBatch, r: number, out: FloatArray | null, scale: number): number {
  const { x, t, cols } = c;
  const o = r * cols;
  const lse = logSumExpRow(x, o, cols);
  let loss = 0;
  let mass = 0;
  for (let j = 0; j < cols; j++) {
    if (t[o + j] !== 0) loss += t[o + j]! * (lse - x[o + j]!);
    mass += t[o + j]!;
  }
  if (out) for (let j = 0; j < cols; j++) out[o + j] = scale * (mass * fastExp(x[o + j]! - lse) - t[o + j]!);
  return loss;
}
