import { compensated, twoSumError } from '../math/twoSum';

/**
 * Σ_i w[y_i] over samples whose class target is not `ignoreIndex`: the divisor of
 * `'mean'` for class-weighted losses (crossEntropy, nllLoss), as PyTorch. Compensated (see
 * twoSum), so the mean's divisor is as accurate as the weights.
 */
export function labelWeightSum(labels: Int32Array, weight: Float64Array, ignoreIndex: number): number {
  let s = 0;
  let error = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] === ignoreIndex) continue;
    const w = weight[labels[i]!]!;
    const sum = s + w;
    error += twoSumError(s, w, sum);
    s = sum;
  }
  return compensated(s, error);
}
