/**
 * Stable scalar helpers.
 * softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^{-|x|}): the exp argument is never positive.
 */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

/** log sigmoid(x) = -softplus(-x). */
export function logSigmoid(x: number): number {
  return -softplus(-x);
}

/** sigmoid(x) = 1 / (1 + e^{-x}), evaluated so that exp never overflows. */
export function sigmoidScalar(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
