import * as logModule from '../math/fastLog';
import { softplusKernelsFor } from '../math/wasmSoftplus';
import { numberOption, optionalNumberOrValues, reduction, type OptionsOf } from '../options';
import type { FloatArray } from '../tensor/types';
import { assertBinaryPair, readBinaryPair } from './binaryPair';
import { elements, elementwiseLoss, kernel, type Elements, type FastBlock } from './elementwise';
import { wasmBlocks as softplusBlocks } from './elementwiseWasm';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** Rescaling weights `w_i`: a number, or values broadcastable to the input's shape (default 1). */
  weight: optionalNumberOrValues({ min: 0 }),
  /** s in [0, 1]: targets become t (1 - s) + s / 2, as Keras (default 0). */
  labelSmoothing: numberOption(0, { min: 0, max: 1 }),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type BinaryCrossEntropyOptions = OptionsOf<typeof spec>;

/** PyTorch clamps each log at -100, so probabilities of exactly 0 or 1 give finite losses. */
const LOG_FLOOR = -100;
/** PyTorch's floor on p (1 - p) in the backward pass: its constant is the float32 1e-12. */
const GRAD_EPSILON = Math.fround(1e-12);

// Module-local bindings of the imports used per element: CommonJS builds (tsx) read an import
// through a getter at each use, which V8 does not inline into a hot loop; these are read once.
const fastLogNormal = logModule.fastLogNormal;
const MIN_NORMAL = logModule.MIN_NORMAL;

/**
 * Binary cross-entropy on probabilities (이진 교차 엔트로피), elementwise over any shape:
 *
 * $$\ell_i = -w_i\left[t_i \max(\log p_i, -100) + (1 - t_i)\max(\log(1 - p_i), -100)\right]$$
 *
 * with $t_i = y_i(1 - s) + s/2$ under label smoothing $s$. The clamp at $-100$ (PyTorch's)
 * makes $p = 0$ or $1$ finite: a wrong certain prediction costs $100 w_i$, a right one 0.
 * On logits prefer binaryCrossEntropyWithLogits, which is stable without a clamp.
 *
 * - `reduction`: `'mean'` (default) $\frac1n\sum\ell_i$ (over all elements, weights included
 *   but not divided by), `'sum'` $\sum\ell_i$, `'none'` the $\ell_i$.
 * - Options: `weight` $w$ (default 1): a number, or values of a shape broadcastable to the
 *   input's as PyTorch broadcasts it (`[C]` against `[N, C]`, `[N, 1]`, the full shape ...);
 *   `labelSmoothing` $s$ (default 0).
 * - Shapes: `input` (probabilities in [0, 1]) and `target` (in [0, 1]): any equal shape.
 * - Gradient (PyTorch's backward): $\partial\ell_i/\partial p_i = w_i (p_i - t_i) / \max(p_i(1 - p_i), 10^{-12})$,
 *   over $n$ for `'mean'`; the floor keeps it finite for $p$ = 0, 1 or denormal.
 * - Accuracy: $\log(1 - p)$ is the log of the exact $1 - p$ (see logLikelihood); no terms of
 *   opposite signs are added, so each $\ell_i$ is within a few ulps; under smoothing $\ell_i$ is
 *   $(1 - s)\,\ell(y_i) + \frac s2(\ell(1) + \ell(0))$, never through a rounded $t_i$ (see readBinaryPair).
 *   Sums are compensated (see elementwise.ts). Float32 arrays with hard targets and no weight run
 *   the WebAssembly SIMD kernel, whose TypeScript fallback gives the same bits.
 * - PyTorch: `F.binary_cross_entropy(input, target, weight)`; Keras: `BinaryCrossentropy(label_smoothing)`
 *   (which clips $p$ to $[10^{-7}, 1 - 10^{-7}]$ instead of clamping the log).
 *
 * @example
 * binaryCrossEntropy([0.9, 0.2], [1, 0]) // 0.16425203348601802
 * binaryCrossEntropy.grad([0.5], [1]) // [-2]
 * binaryCrossEntropy([[0.9, 0.2], [0.6, 0.3]], [[1, 0], [1, 1]], { weight: [2, 1] }) // 0.6648721586219449
 */
export const binaryCrossEntropy = elementwiseLoss({
  name: 'binaryCrossEntropy',
  options: spec,
  // ℓ = -h(p, y), NaN outside [0, 1] (so the kernel's total reports it); with label smoothing
  // b = s, ℓ = (1 - s) ℓ(p, y) + (s/2) (ℓ(p, 1) + ℓ(p, 0)) (see readBinaryPair). The gradient
  // d/dp -[t log p + (1-t) log(1-p)] = (p - t) / (p (1 - p)), the denominator floored as
  // PyTorch does, with p - t = (1 - s)(p - y) + s (p - 1/2).
  kernel: kernel({
    term(p, y, _a, s) {
      if (!(p >= 0 && p <= 1 && y >= 0 && y <= 1)) return NaN;
      const h = logLikelihood(p, y);
      return s === 0 ? -h : -((1 - s) * h + 0.5 * s * (logLikelihood(p, 1) + logLikelihood(p, 0)));
    },
    slope: (p, y, _a, s, c) => (c * (s === 0 ? p - y : (1 - s) * (p - y) + s * (p - 0.5))) / gradDenominator(p),
  }),
  prepare(input, target, o) {
    const pair = readBinaryPair('binaryCrossEntropy', input, target, { probabilities: true, weight: o.weight, deferChecks: true });
    return elements(pair.x, pair.y, pair.w, pair.ws, null, 0, o.labelSmoothing, o.reduction, pair.size);
  },
  diagnose: (c) => assertBinaryPair('binaryCrossEntropy', c, true),
  fast: wasmBlocks,
});

/** PyTorch's max(p (1 - p), eps); p (1 - p) >= 0 on [0, 1]. */
const gradDenominator = (p: number) => {
  const v = p * (1 - p);
  return v < GRAD_EPSILON ? GRAD_EPSILON : v;
};

/**
 * h = t max(log p, -100) + (1 - t) max(log(1 - p), -100) for p, t in [0, 1] (any number, no
 * exception, outside). log(1 - p) is the log of the exact double-double q + ql = 1 - p
 * (q = RN(1 - p), Fast2Sum since |1| >= |p|), so it keeps the bits of small p as log1p(-p) does.
 * A hard target (t (1 - t) = 0, one test, no branch on t itself) needs one log, of
 * t p + (1 - t) q (that is p or q exactly) with low part (1 - t) ql. Arguments below 2^-1022
 * (p = 0 or 1, subnormals) are raised to 2^-1022: their log, -708.4 or -Infinity, floors to -100 either way.
 */
function logLikelihood(p: number, y: number): number {
  const q = 1 - p;
  const ql = 1 - q - p;
  if (y * (1 - y) === 0) return floorLog(fastLogNormal(atLeastNormal(y * p + (1 - y) * q), (1 - y) * ql));
  return softLogLikelihood(p, y, q, ql);
}

/** logLikelihood for a soft target: two logs (a separate function keeps the hard path small enough for V8 to inline). */
function softLogLikelihood(p: number, y: number, q: number, ql: number): number {
  return y * floorLog(fastLogNormal(atLeastNormal(p), 0)) + (1 - y) * floorLog(fastLogNormal(atLeastNormal(q), ql));
}

// Comparisons rather than Math.max, which V8 compiles with NaN and -0 cases these do not need.
const atLeastNormal = (a: number) => (a < MIN_NORMAL ? MIN_NORMAL : a);
const floorLog = (h: number) => (h < LOG_FLOOR ? LOG_FLOOR : h);

/**
 * The WebAssembly SIMD block bceF32 (math/wasmSoftplus.ts: term and slope in f64x2, sumLoop's
 * eight lanes, the same bits) for the blocks it takes: all-float32 arguments, no weight, no
 * smoothing, no per-item values, hard targets, a length that is a multiple of 8. It refuses a
 * block (NaN) with a soft target or a value outside [0, 1], which the loop then takes, as it
 * takes everything where WebAssembly SIMD is missing. Arrays of kernelArrays are read in place.
 */
function wasmBlocks(c: Elements, out: FloatArray | null, items: Float64Array | null, s: number): FastBlock | null {
  const fast = c.b === 0 ? softplusBlocks(softplusKernelsFor, 'bceF32', c, out, items, s) : null;
  if (!fast) return null;
  return (from, to) => {
    const part = fast(from, to);
    return part === part ? part : undefined;
  };
}
