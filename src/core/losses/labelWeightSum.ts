/**
 * Σ_i w[y_i] over samples whose class target is not `ignoreIndex`: the divisor of
 * `'mean'` for class-weighted losses (crossEntropy, nllLoss), as PyTorch.
 */
export function labelWeightSum(labels: Int32Array, weight: Float64Array, ignoreIndex: number): number {
  let s = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] !== ignoreIndex) s += weight[labels[i]!]!;
  return s;
}
