import { fail, overflow } from '../errors';
import { compensated, twoSumError } from '../math/twoSum';
import { gradScale, reduce } from '../reduce';
import { assertProbabilities } from '../tensor/probabilities';
import type { Rows } from '../tensor/flatten';
import type { FloatArray, Reduction } from '../tensor/types';
import { softRow } from './softmaxRows';

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
  const e = new Float64Array(c.cols);
  const stats = new Float64Array(3);
  let total = 0;
  let error = 0;
  for (let r = 0; r < c.rows; r++) {
    const loss = c.fromLogits ? logitRow(fn, c, r, out, scale, e, stats) : probabilityRow(fn, c, r, out, scale);
    const sum = total + loss;
    error += twoSumError(total, loss, sum);
    total = sum;
    if (items) items[r] = loss;
  }
  return reduce(fn, c.reduction, compensated(total, error), c.rows, items);
}

/** A probability row's mass: the index of its largest p, ρ = the sum of the others (compensated) and Σp = p_top + ρ. */
export interface RowMass {
  top: number;
  rho: number;
  sum: number;
}

/**
 * The mass of row [o, o + cols) of probabilities, for renormalising it as Keras does: with
 * ρ summed apart from the largest p (index top), 1 - p_top / Σp = ρ / Σp and
 * log(p_top / Σp) = -log1p(ρ / p_top) keep their digits where p_top / Σp is within ulps of 1.
 */
export function rowMass(x: FloatArray, o: number, cols: number): RowMass {
  let top = 0;
  for (let j = 1; j < cols; j++) if (x[o + j]! > x[o + top]!) top = j;
  let rho = 0;
  let error = 0;
  for (let j = 0; j < cols; j++) {
    if (j === top) continue;
    const sum = rho + x[o + j]!;
    error += twoSumError(rho, x[o + j]!, sum);
    rho = sum;
  }
  rho += error;
  return { top, rho, sum: x[o + top]! + rho };
}

/**
 * Keras on probabilities: q = p / Σp, r = clip(q, ε, 1 - ε), loss = -Σ_c t_c log r_c.
 * Backward: g_c = dloss/dq_c = -t_c / q_c where ε <= q_c <= 1 - ε, else 0 (the clip is flat there);
 * dq_c/dp_k = (δ_ck - q_c) / Σp, so dloss/dp_k = (g_k - Σ_c g_c q_c) / Σp = (g_k + Σ_{c unclipped} t_c) / Σp.
 *
 * Stable forms: Σp is summed compensated; at the row's largest p (index a), where q may be
 * within an ulp of 1, log q_a = -log1p(ρ / p_a) with ρ = Σ_{c≠a} p_c summed apart (log of a
 * rounded q would keep only ~1e-16 / (1 - q) of its digits), and
 * g_a + Σ_unclipped t = -t_a ρ / p_a + Σ_{unclipped c≠a} t_c (-t_a / q_a + t_a cancels).
 */
function probabilityRow(fn: string, c: CategoricalBatch, r: number, out: FloatArray | null, scale: number): number {
  const { x, t, cols } = c;
  const o = r * cols;
  const { top: a, rho, sum } = rowMass(x, o, cols);
  let loss = 0;
  let keptOthers = 0;
  let keptTop = false;
  for (let j = 0; j < cols; j++) {
    const q = x[o + j]! / sum;
    const clipped = !(q >= EPSILON && q <= 1 - EPSILON);
    if (t[o + j] === 0) continue;
    const logR = clipped ? Math.log(q < EPSILON ? EPSILON : 1 - EPSILON) : j === a ? -Math.log1p(rho / x[o + a]!) : Math.log(q);
    loss -= t[o + j]! * logR;
    if (clipped) continue;
    if (j === a) keptTop = true;
    else keptOthers += t[o + j]!;
  }
  if (out) {
    const kept = keptOthers + (keptTop ? t[o + a]! : 0);
    for (let j = 0; j < cols; j++) {
      const q = x[o + j]! / sum;
      const unclipped = q >= EPSILON && q <= 1 - EPSILON;
      const gk = !unclipped ? kept : j === a ? -t[o + a]! * (rho / x[o + a]!) + keptOthers : kept - t[o + j]! / q;
      const v = (scale * gk) / sum;
      // a row summing to a subnormal: the exact gradient (∝ 1 / Σp) exceeds float64, as in Keras
      if (v - v !== 0) overflow(fn, `the gradient at input[${o + j}]`, v);
      out[o + j] = v;
    }
  }
  return loss;
}

/**
 * Keras on logits: loss = -Σ_c t_c log softmax(x)_c, the weighted-target row of crossEntropy
 * (softRow, with ω = t): gradient softmax(x) Σ_c t_c - t (softmax(x) - t for a one-hot t).
 */
function logitRow(fn: string, c: CategoricalBatch, r: number, out: FloatArray | null, scale: number, e: Float64Array, stats: Float64Array): number {
  return softRow(fn, c.x, r * c.cols, c.cols, c.t, r * c.cols, r, out, scale, e, stats);
}
