import { fail } from '../errors';
import { labelWeightSum } from './labelWeightSum';

/** Checks a per-class `weight` option has one entry per class; absent means all ones. */
export function classWeights(fn: string, weight: Float64Array | undefined, classes: number): Float64Array {
  if (weight === undefined) return new Float64Array(classes).fill(1);
  if (weight.length !== classes) fail(fn, 'options.weight', `${classes} values, one per class`, `${weight.length}`);
  return weight;
}

/** 2^-1000 and 2^1000: a total weight outside this range is rescaled by meanWeights. */
const TINY = 2 ** -1000;
const HUGE = 2 ** 1000;

/**
 * The class weights and the divisor of a class-weighted `'mean'`, Σ_i w[y_i] over non-ignored
 * samples (as PyTorch). A mean is unchanged when every weight is scaled by the same factor, so
 * when `mean` and that total is below 2^-1000 (its inverse, the gradient's scale, would overflow)
 * or above 2^1000 (it may overflow), the weights are scaled by a power of two (exact) that
 * brings the total near 1. Otherwise `weight` is returned as is.
 */
export function meanWeights(weight: Float64Array, labels: Int32Array, ignoreIndex: number, mean: boolean): { weight: Float64Array; count: number } {
  const count = labelWeightSum(labels, weight, ignoreIndex);
  if (!mean || count === 0 || (count >= TINY && count <= HUGE)) return { weight, count };
  // an overflowing total is summed again from weights scaled by 2^-64, to read its exponent
  const e = count <= HUGE ? -Math.round(Math.log2(count)) : -64 - Math.round(Math.log2(labelWeightSum(labels, scaleBy(weight, -64), ignoreIndex)));
  const scaled = scaleBy(weight, e);
  return { weight: scaled, count: labelWeightSum(labels, scaled, ignoreIndex) };
}

/** w · 2^e for each weight, in two exact steps (2^e alone may overflow), held to the float64 range. */
function scaleBy(weight: Float64Array, e: number): Float64Array {
  const a = 2 ** (e >> 1);
  const b = 2 ** (e - (e >> 1));
  return weight.map((w) => Math.min(w * a * b, Number.MAX_VALUE));
}
