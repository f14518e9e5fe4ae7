import { reduction, type OptionsOf } from '../options';
import * as expModule from '../math/fastExp';
import * as logModule from '../math/fastLog';
import { softplusKernelsFor } from '../math/wasmSoftplus';
import { elementwiseLoss, kernel, readElements } from './elementwise';
import { logCoshBlocks } from './logCoshBlock';
import * as constants from './logCoshConstants';
import { wasmBlocks } from './elementwiseWasm';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type LogCoshOptions = OptionsOf<typeof spec>;

// module-local bindings (see bceFromLogits)
const expUnchecked = expModule.expUnchecked;
const expm1Unchecked = expModule.expm1Unchecked;
const fastLogNormal = logModule.fastLogNormal;

// The constants (logCoshConstants.ts), as module-level bindings read once (see bceFromLogits).
export { LOG_COSH } from './logCoshConstants';
const { LN2, LN2_LO, SERIES, BRANCH, SLOPE_SPLIT } = constants.LOG_COSH;
const [C2, C3, C4, C5, C6, C7, C8] = constants.LOG_COSH.C;

/** Where logCoshParts leaves its slope. */
const SLOPE = new Float64Array(1);

/**
 * log cosh r and, when withSlope, c d/dr log cosh r = c tanh r into SLOPE[0], from v = e^u - 1
 * and E = e^u, computed once for both (u = max(-|r|, -708) below BRANCH, max(-2|r|, -708) from
 * it). Every form is computed and one picked, so the SIMD version (softplusKernelsSource.ts)
 * follows it lane by lane. With d = |r|:
 * - term, d < 1/8: the series h + h^2 (C2 + h (C3 + ... + h C8)), h = (0.5 d) d (truncation < 2^-60);
 *   d < 0.8: log1p(z), z = v^2 / (2E) = cosh d - 1 ((1 - e^-d)^2 / (2e^-d), no cancellation);
 *   else (d - ln 2) + log1p(E), E = e^-2d, ln 2 as LN2 + LN2_LO. log1p(z) is
 *   fastLogNormal(w, 1 - (w - wb) + (z - wb)) with w = 1 + z, wb = w - 1 (TwoSum).
 * - slope, one division: d < 0.8 (E = e^-d): n / D, n = -2v - v^2 = 1 - e^-2d, D = 2 - n below
 *   0.3 (nearly exact there) and 1 + E^2 above (= 1 + e^-2d); else (E = e^-2d) 1 - 2E / (1 + E);
 *   negated for r < 0 (+0 at r = ±0).
 * The clamp at -708 (expUnchecked's range) changes no result: it acts for d > 354, where
 * e^-2d < 2^-1021 is far below half an ulp of LN2_LO (so (d - LN2) + (l - LN2_LO) is the same
 * double) and 2E/(1 + E) below 2^-54 (so the slope is 1 either way). NaN gives NaN.
 */
function logCoshParts(r: number, c: number, withSlope: boolean): number {
  const d = Math.abs(r);
  const small = d < BRANCH;
  const u0 = small ? -d : -2 * d;
  const u = u0 < -708 ? -708 : u0;
  const v = expm1Unchecked(u);
  const e = expUnchecked(u);
  const z = small ? (v * v) / (2 * e) : e;
  const w = 1 + z;
  const wb = w - 1;
  const l = fastLogNormal(w, 1 - (w - wb) + (z - wb));
  const h = 0.5 * d * d;
  const series = h + h * h * (C2 + h * (C3 + h * (C4 + h * (C5 + h * (C6 + h * (C7 + h * C8))))));
  const large = d - LN2 + (l - LN2_LO);
  if (withSlope) {
    const n = 0 - 2 * v - v * v;
    const q = (small ? n : 2 * e) / (small ? (d < SLOPE_SPLIT ? 2 - n : 1 + e * e) : 1 + e);
    const th = small ? q : 1 - q;
    SLOPE[0] = c * (r < 0 ? -th : th);
  }
  return d < SERIES ? series : small ? l : large;
}

/** log cosh d for d = |x - y| (logCoshParts). */
export function logCoshTerm(d: number): number {
  return logCoshParts(d, 1, false);
}

/** tanh d for d = |x - y| >= 0, +0 at d = 0 (logCoshParts). */
export function logCoshSlope(d: number): number {
  logCoshParts(d, 1, true);
  return SLOPE[0]!;
}

/**
 * logCosh's element (log cosh d = log((e^d + e^-d)/2) = |d| + log1p(e^(-2|d|)) - ln 2, d/dx tanh d)
 * for the loop of elementwise.ts; logCoshBlock.ts follows logCoshParts operation for operation (its tests compare them).
 */
export const logCoshKernel = kernel({
  term: (x, y) => logCoshParts(x - y, 1, false),
  slope(x, y, _a, _b, c) {
    logCoshParts(x - y, c, true);
    return SLOPE[0]!;
  },
});

/**
 * Log-cosh loss (로그 코사인 손실): about $\frac12 d^2$ for small differences and $|d| - \ln 2$ for
 * large ones, smooth everywhere. Elementwise over any shape, $d_i = x_i - y_i$:
 *
 * $$\ell_i = \log\cosh d_i = |d_i| + \log\left(1 + e^{-2|d_i|}\right) - \ln 2$$
 *
 * - `reduction`: `'mean'` (default) $\frac1n\sum\ell_i$, `'sum'` $\sum\ell_i$, `'none'` the $\ell_i$.
 * - Shapes: `input` and `target` any equal shape.
 * - Gradient: $\partial\ell_i/\partial x_i = \tanh d_i$, over $n$ for `'mean'`.
 * - Accuracy: no call, every form computed and one picked (logCoshParts). From
 *   $v = e^u - 1$, $E = e^u$ with $u = -|d|$ below $|d| = 0.8$, $-2|d|$ above (at least -708):
 *   $\ell = h + h^2(-\frac13 + \frac{8}{45}h - \dots)$, $h = d^2/2$, below $|d| = \frac18$;
 *   $\mathrm{log1p}(v^2/2E)$ ($= \log(1 + (\cosh d - 1))$, no cancellation) below 0.8; the right-hand
 *   form above, which never overflows ($\cosh$ does beyond |d| = 710). $\tanh|d| = n/D$,
 *   $n = -2v - v^2 = 1 - e^{-2|d|}$, $D = 2 - n$ below 0.3 and $1 + E^2$ to 0.8; $1 - 2E/(1 + E)$ above.
 *   Against mpmath on 74000 |d| in [1e-300, 800]: $\ell$ within 3.2 ulp ($3.8 \cdot 2^{-53}$
 *   relative), the gradient within 2.3 ulp ($3.1 \cdot 2^{-53}$).
 * - Keras: `keras.losses.log_cosh` / `LogCosh` (mean over the last axis, then over samples: the same mean).
 *
 * @example
 * logCosh([0, 0], [1, -2]) // 0.8793917889204457
 * logCosh.grad([0], [1]) // [-0.7615941559557649]
 */
export const logCosh = elementwiseLoss({
  name: 'logCosh',
  options: spec,
  kernel: logCoshKernel,
  prepare: (input, target, o) => readElements('logCosh', input, target, o.reduction),
  // float32 blocks in WebAssembly SIMD (math/wasmSoftplus.ts: logCoshParts' steps in f64x2, the same bits),
  // then logCoshBlock.ts (the same steps written out in its loop, the same bits) for the blocks and calls it leaves
  fast: (c, out, items, s) => logCoshBlocks(c, out, items, s, wasmBlocks(softplusKernelsFor, 'logCoshF32', c, out, items, s)),
});
