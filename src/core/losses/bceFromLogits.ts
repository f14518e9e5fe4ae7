import * as ddModule from '../math/doubleDouble';
import * as expModule from '../math/fastExp';
import * as logModule from '../math/fastLog';
import * as scalarModule from '../math/scalar';
import { kernel } from './elementwise';

// Module-local bindings of the imports used per element: CommonJS builds (tsx) read an import
// through a getter at each use, which V8 does not inline into a hot loop; these are read once.
const fastExp = expModule.fastExp;
const fastLog1p = logModule.fastLog1p;
const { ddAdd, ddDiv, ddExp, ddMul, ddNeg, twoProd, twoSum } = ddModule;
const { sigmoidPair, SIGMOID_PAIR } = scalarModule;

/**
 * The BCE-from-logits kernel, for every loss on logits x and targets t in [0, 1]
 * (binaryCrossEntropyWithLogits, sigmoidFocalLoss), with the weight q of positive targets:
 *
 *   ℓ = -[q t log σ(x) + (1 - t) log(1 - σ(x))] = q t softplus(-x) + (1 - t) softplus(x),
 *
 * since log σ(x) = -softplus(-x) and log(1 - σ(x)) = log σ(-x) = -softplus(x). With
 * e = exp(-|x|) <= 1 (never overflows) and L = log1p(e):
 *
 *   softplus(x) = max(x, 0) + L,  softplus(-x) = max(-x, 0) + L.
 *
 * Both terms are >= 0, so no digits cancel: for q = 1 this is max(x, 0) - x t + log1p(exp(-|x|))
 * without the subtraction (PyTorch's (1 - t) x + softplus(-x) loses 1.3 % at x = -30, t = 0,
 * where -30 + 30.0000000000000936 keeps one digit of log1p(e^-30)). Under label smoothing s
 * (t = y (1 - s) + s/2), ℓ = (1 - s) ℓ(y) + (s/2)(q softplus(-x) + softplus(x)), see readBinaryPair.
 */
export function bceFromLogits(x: number, y: number, q: number, s: number): number {
  const l = fastLog1p(fastExp(-Math.abs(x)));
  // comparisons, not Math.max, which V8 compiles with -0 and NaN cases (7 ns per element here)
  const neg = (x < 0 ? -x : 0) + l;
  const pos = (x > 0 ? x : 0) + l;
  const hard = q * y * neg + (1 - y) * pos;
  return s === 0 ? hard : (1 - s) * hard + 0.5 * s * (q * neg + pos);
}

/** Below this fraction of its terms, a gradient (1 - t) σ(x) - q t σ(-x) has lost 20 bits and is redone in double-double. */
export const CANCELLED = 2 ** -20;

/**
 * dℓ/dx = (1 - t) σ(x) - q t σ(-x), from d softplus(x)/dx = σ(x) (for q = 1 it is σ(x) - t; under
 * smoothing, (1 - s) of y's plus s/2 of (σ(x) - q σ(-x))). σ(x) and σ(-x) are each computed
 * directly (sigmoidPair), so a hard target's gradient, σ(x) or -q σ(-x), is within a few ulps
 * however confident x is. A soft target near σ(x) makes the two
 * terms cancel (t = fl(σ(x)) leaves only t's rounding error, 1e-17): that rare case is redone
 * in double-double (slopeExact), where PyTorch's σ(x) - t returns 0 or a rounding error.
 */
export function bceFromLogitsSlope(x: number, y: number, q: number, s: number): number {
  const p = sigmoidPair(x);
  const n = SIGMOID_PAIR[1]!;
  const a = (1 - y) * p;
  const b = q * y * n;
  let g = a - b;
  if (Math.abs(g) < CANCELLED * (a + b) && Math.abs(x) < 745) g = slopeExact(x, y, q);
  return s === 0 ? g : (1 - s) * g + 0.5 * s * (p - q * n);
}

/**
 * (1 - t) σ(x) - q t σ(-x) = [(1 - t) - q t E] / (1 + E) for x >= 0, [(1 - t) E - q t] / (1 + E)
 * for x < 0, with E = e^-|x| in double-double (ddExp, ~2^-100): the numerator's cancellation
 * then leaves ~50 correct bits of a result 2^-20 below its terms.
 */
function slopeExact(x: number, t: number, q: number): number {
  const e = ddExp({ hi: -Math.abs(x), lo: 0 });
  const u = twoSum(1, -t);
  const qt = twoProd(q, t);
  const num = x >= 0 ? ddAdd(u, ddNeg(ddMul(qt, e))) : ddAdd(ddMul(u, e), ddNeg(qt));
  return ddDiv(num, ddAdd({ hi: 1, lo: 0 }, e)).hi;
}

/**
 * The kernel of binaryCrossEntropyWithLogits: a = q (posWeight), b = s (label smoothing). A
 * target outside [0, 1] (or NaN) gives a NaN term, so the loss's total reports it and its
 * diagnosis names it (the checks are deferred to the pass: a separate scan of input and target
 * cost 5.6 ns an element on 1e6 float32 elements, a third of the whole loss).
 */
export const bceLogits = kernel({
  term: (x, y, q, s) => (y >= 0 && y <= 1 ? bceFromLogits(x, y, q, s) : NaN),
  slope: (x, y, q, s, c) => c * bceFromLogitsSlope(x, y, q, s),
});
