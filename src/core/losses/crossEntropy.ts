import { INT32, numberOption, optionalVector, reduction, type OptionsOf, type Parsed } from '../options';
import { assertRowFinite, zeroRow } from '../math/rowKernels';
import { compensated, twoSumError } from '../math/twoSum';
import { gradScale, reduce } from '../reduce';
import { toClassIndices } from '../tensor/classIndices';
import { assertSameShape, toFlat, toRows, type Rows } from '../tensor/flatten';
import { assertProbabilities } from '../tensor/probabilities';
import type { ClassIndices, FloatArray, Values } from '../tensor/types';
import { classWeights, meanWeights } from './classWeights';
import { defineLoss } from './defineLoss';
import { hardRows, softRow } from './softmaxRows';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** Per-class rescaling weights `w_c`, one per class (default all 1). */
  weight: optionalVector({ min: 0 }),
  /** A class-index target equal to this is skipped (default -100). */
  ignoreIndex: numberOption(-100, INT32),
  /** ε in [0, 1]: targets become (1-ε)·onehot + ε/C (default 0). */
  labelSmoothing: numberOption(0, { min: 0, max: 1 }),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type CrossEntropyOptions = OptionsOf<typeof spec>;

/**
 * Cross-entropy from logits (교차 엔트로피), softmax and negative log-likelihood fused.
 * With $p_{ic} = \mathrm{softmax}(x_i)_c$:
 *
 * - class-index targets $y_i$: $\ell_i = -(1-\varepsilon)\,w_{y_i}\log p_{i y_i} - \frac{\varepsilon}{C}\sum_c w_c \log p_{ic}$
 *   ($0$ when $y_i$ = `ignoreIndex`); `'mean'` divides $\sum_i \ell_i$ by $\sum_i w_{y_i}$ over non-ignored samples.
 * - probability targets $t_{ic}$ (same shape as input): $\ell_i = -\sum_c w_c t'_{ic}\log p_{ic}$,
 *   $t' = (1-\varepsilon)t + \varepsilon/C$; `'mean'` divides by $N$.
 *
 * - Options: `reduction` (`'mean'`), `weight` (all 1), `ignoreIndex` (-100, class targets only),
 *   `labelSmoothing` ε (0).
 * - Shapes: input `[N, C]` logits or `[C]` for one sample; target `[N]` class indices
 *   (a bare number for one sample) or `[N, C]` probabilities.
 * - Gradient: $\partial\ell_i/\partial x_{ic} = W_i p_{ic} - \omega_{ic}$ where $\omega_{ic}$ is the
 *   weighted (smoothed) target and $W_i = \sum_c \omega_{ic}$; for one-hot targets: softmax(x) - y.
 *   An ignored row's gradient is 0.
 * - Stable form (see rowKernels): with the row's max $m$ and $t = \sum_j e^{x_j - m} - 1$ (the sum
 *   without one max's exact 1, never rounded as $1 + t$), $-\log p_k = (m - x_k) + \mathrm{log1p}(t)$ and
 *   $1 - p_k = t/(1 + t)$ at the max, so a confident row keeps every digit
 *   (`[[0, 40]]` gives $\mathrm{log1p}(e^{-40}) = 4.2\times10^{-18}$, where $m + \log s - x_k$ gives 0, as does
 *   PyTorch) and logits offset by $10^{16}$ give $\ln 2$. Values and gradients are within a few
 *   ulps of the exact ones, except a gradient where $W_i p_{ic}$ and $\omega_{ic}$ cancel (a soft
 *   target near the softmax): that one is within a few ulps of $W_i p_{ic} + \omega_{ic}$, and where they
 *   agree to 30 bits (a target equal to fl(softmax)) the row is recomputed in double-double.
 *   No clamp is needed: every finite logit gives a finite gradient; a loss beyond float64
 *   (`[[1e308, -1e308]]`, target 1) throws.
 *   Weights whose total $\sum_i w_{y_i}$ (or its inverse) leaves float64 are rescaled by a power of two
 *   for `'mean'`, which does not change it.
 * - PyTorch: `F.cross_entropy(input, target, weight, ignore_index=-100, label_smoothing=0)`.
 *
 * @example
 * crossEntropy([[2, 1, 0.1]], [0]) // 0.41703001627783354
 * crossEntropy([[0, 40]], [1]) // 4.248354255291589e-18
 * crossEntropy([[1e16, 1e16]], [0]) // 0.6931471805599453
 * crossEntropy.grad([[0, 0]], [1]) // [[0.5, -0.5]]
 */
export const crossEntropy = defineLoss<ClassIndices | Values, typeof spec, ReturnType<typeof prepare>>({
  name: 'crossEntropy',
  options: spec,
  prepare,
  value: (c) => pass(c, null),
  grad(c, out) {
    pass(c, out);
  },
  // One pass per row gives the row's loss and its gradient together.
  valueAndGrad: (c, out) => pass(c, out),
  writesEveryElement: true,
  // class-index rows (hardRows) write scale (softmax - one-hot) with |scale| <= 1: every |g| <= 1
  gradientsChecked: (c) => c.hard,
});

type Prepared = ReturnType<typeof prepare>;

/**
 * The reduced loss (per-sample values for `'none'`), and with `out` the gradient of every row:
 * hardRows for class indices without weights or smoothing, softRow on the weighted smoothed
 * target ω_ic otherwise (see softmaxRows.ts for both stable forms).
 */
function pass(c: Prepared, out: FloatArray | null): number | Float64Array {
  const fn = 'crossEntropy';
  const scale = gradScale(fn, c.reduction, c.count);
  const items = c.reduction === 'none' ? new Float64Array(c.rows) : null;
  let total = 0;
  let error = 0;
  if (c.hard) total = hardRows(fn, c, out, scale, items);
  else {
    const { x, cols, weight, eps } = c;
    const omega = new Float64Array(cols);
    const e = new Float64Array(cols);
    const stats = new Float64Array(2);
    for (let r = 0; r < c.rows; r++) {
      const o = r * cols;
      let loss = 0;
      if (c.probs) {
        for (let j = 0; j < cols; j++) omega[j] = weight[j]! * ((1 - eps) * c.probs[o + j]! + eps / cols);
        loss = softRow(fn, x, o, cols, omega, 0, r, out, scale, e, stats);
      } else if (c.labels[r] === c.ignoreIndex) {
        assertRowFinite(fn, x, o, cols);
        if (out) zeroRow(out, o, cols);
      } else {
        const k = c.labels[r]!;
        for (let j = 0; j < cols; j++) omega[j] = weight[j]! * ((k === j ? 1 - eps : 0) + eps / cols);
        loss = softRow(fn, x, o, cols, omega, 0, r, out, scale, e, stats);
      }
      const sum = total + loss;
      error += twoSumError(total, loss, sum);
      total = sum;
      if (items) items[r] = loss;
    }
  }
  return reduce(fn, c.reduction, compensated(total, error), c.count, items);
}

function prepare(input: Values, target: ClassIndices | Values, o: Parsed<typeof spec>) {
  const fn = 'crossEntropy';
  // no finiteness scan here: the row kernel sees a NaN or ±Infinity in its own pass
  const rows = toRows(fn, 'input', input, { deferScan: true });
  const probs = probabilityTarget(fn, rows, target);
  const labels = probs ? new Int32Array(0) : toClassIndices(fn, 'target', target as ClassIndices, rows.rows, rows.cols, o.ignoreIndex);
  const given = classWeights(fn, o.weight, rows.cols);
  // 'mean' over class indices divides by Σ w[y_i]: weights rescaled by a power of two when that
  // sum (or its inverse, the gradient's scale) would leave the float64 range (the mean is the same)
  const { weight, count } = probs ? { weight: given, count: rows.rows } : meanWeights(given, labels, o.ignoreIndex, o.reduction === 'mean');
  const hard = !probs && o.weight === undefined && o.labelSmoothing === 0;
  return {
    x: rows.data,
    rows: rows.rows,
    cols: rows.cols,
    size: rows.data.length,
    reduction: o.reduction,
    weight,
    ignoreIndex: o.ignoreIndex,
    eps: o.labelSmoothing,
    probs,
    labels,
    count,
    hard,
  };
}

/**
 * Nested arrays and tensors hold class probabilities, and so does a flat target
 * of length C for a single `[C]` input (C > 1); anything else holds class indices.
 * Shared with polyLoss, which reads its targets the same way.
 */
export function probabilityTarget(fn: string, input: Rows, target: ClassIndices | Values): FloatArray | null {
  if (typeof target === 'number') return null;
  const flatList = Array.isArray(target) ? !Array.isArray(target[0]) : ArrayBuffer.isView(target);
  if (flatList && !(input.shape.length === 1 && (target as ArrayLike<number>).length === input.cols && input.cols > 1)) return null;
  const t = toFlat(fn, 'target', target as Values);
  assertSameShape(fn, input, 'input', t, 'target');
  assertProbabilities(fn, 'target', t.data);
  return t.data;
}
