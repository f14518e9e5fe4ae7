import * as expModule from './fastExp';
import * as logModule from './fastLog';

// Module-local bindings of the imports used per element: CommonJS builds (tsx) read an import
// through a getter at each use, which V8 does not inline into a hot loop; these are read once.
const fastExp = expModule.fastExp;
const fastLog1p = logModule.fastLog1p;

/**
 * Stable scalar helpers, on fastExp / fastLog1p (within one ulp, inlined by V8).
 * softplus(x) = log(1 + e^x) = max(x, 0) + log1p(e^{-|x|}): the exp argument is never positive.
 */
export function softplus(x: number): number {
  return Math.max(x, 0) + fastLog1p(fastExp(-Math.abs(x)));
}

/** log sigmoid(x) = -softplus(-x). */
export function logSigmoid(x: number): number {
  return -softplus(-x);
}

/** sigmoid(x) = 1 / (1 + e^{-x}), evaluated so that exp never overflows. */
export function sigmoidScalar(x: number): number {
  if (x >= 0) return 1 / (1 + fastExp(-x));
  const e = fastExp(x);
  return e / (1 + e);
}
