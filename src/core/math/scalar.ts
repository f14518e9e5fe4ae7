import * as expModule from './fastExp';

// Module-local bindings of the imports used per element: CommonJS builds (tsx) read an import
// through a getter at each use, which V8 does not inline into a hot loop; these are read once.
const fastExp = expModule.fastExp;

/** sigmoidPair's results: [σ(x), σ(-x)] (a module-local array, so no allocation per element). */
export const SIGMOID_PAIR = new Float64Array(2);

/**
 * σ(x) and σ(-x), each taken directly, never one as 1 - the other (which loses every digit of
 * a confident prediction's small one): with e = exp(-|x|) <= 1 (never overflows) and d = 1 + e,
 * σ(|x|) = 1 / d and σ(-|x|) = e / d, each within about 1.5 ulp. Returns σ(x) and writes
 * [σ(x), σ(-x)] to SIGMOID_PAIR. NaN gives NaN; ±Infinity gives 0 and 1.
 */
export function sigmoidPair(x: number): number {
  return sigmoidPairOf(x, fastExp(-Math.abs(x)));
}

/** sigmoidPair with its e = exp(-|x|) given, for a caller that has it (sigmoidFocalLoss). */
export function sigmoidPairOf(x: number, e: number): number {
  const d = 1 + e;
  const big = 1 / d;
  const small = e / d;
  const pos = x >= 0 ? big : small;
  SIGMOID_PAIR[0] = pos;
  SIGMOID_PAIR[1] = x >= 0 ? small : big;
  return pos;
}
