import { fail, overflow } from '../errors';
import * as rowModule from '../math/rowKernels';
import { compensated, twoSumError } from '../math/twoSum';
import { numberOption, optionalVector, reduction, type OptionsOf, type Parsed } from '../options';
import { gradScale, reduce } from '../reduce';
import { toClassIndices } from '../tensor/classIndices';
import { checkFinite, toRows } from '../tensor/flatten';
import type { ClassIndices, FloatArray, Values } from '../tensor/types';
import { defineLoss } from './defineLoss';

// Module-local bindings of the imports used per row: CommonJS builds (tsx) read an import
// through a getter at each use, which V8 does not inline into a hot loop; these are read once.
const { logRowSum, restOf, softmaxRow, writeOneHotRow, ROW_MAX } = rowModule;

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** Focusing exponent γ >= 0 (default 2); γ = 0 without alpha is crossEntropy. */
  gamma: numberOption(2, { min: 0 }),
  /** Per-class weights α_c, one per class (default none, i.e. all 1). */
  alpha: optionalVector({ min: 0 }),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type FocalLossOptions = OptionsOf<typeof spec>;

/**
 * Multi-class focal loss on logits (Lin et al.) with integer class targets: crossEntropy
 * scaled down where the target class is already likely. With $p_t = \mathrm{softmax}(x_i)_{y_i}$:
 *
 * $$\ell_i = -\alpha_{y_i}\,(1 - p_t)^{\gamma}\log p_t$$
 *
 * $\log p_t$ and $1 - p_t$ come from crossEntropy's row kernel (see rowKernels):
 * $\log p_t = (x_{i y_i} - m) - \mathrm{log1p}(t)$ and $1 - p_t = \sum_{j \ne y_i} e^{x_{ij} - m} / s$
 * (never $1 - p_t$ itself, which is 0 or a few ulps for a confident row), so
 * $(1 - p_t)^\gamma$ keeps every digit: `focalLoss([[0, 40]], [1], { gamma: 2 })` is
 * $e^{-120}$-sized and exact to the last bits, where PyTorch's `(1 - pt) ** gamma` gives 0. At
 * $\gamma = 0$ without `alpha` this is crossEntropy exactly (the same bits).
 *
 * - `reduction`: `'mean'` (default) $\frac1N\sum_i\ell_i$ (divided by $N$, not by $\sum_i\alpha_{y_i}$
 *   as crossEntropy's `weight` would be), `'sum'`, `'none'` the per-sample $\ell_i$.
 * - Options: `gamma` (default 2, >= 0); `alpha`, one weight per class (default all 1). For two classes
 *   the usual scalar α is `alpha: [α, 1 - α]`; a bare number is rejected rather than guessed.
 * - Shapes: input `[N, C]` logits or `[C]` for one sample; target `[N]` class indices in `[0, C)`
 *   (a bare number for one sample).
 * - Gradient: $\partial p_t/\partial x_c = p_t(\delta_{c y} - p_c)$ gives
 *   $\partial\ell_i/\partial x_{ic} = G_i\,(p_c - \delta_{c y_i})$ with
 *   $G_i = \alpha_{y_i}\left[(1 - p_t)^{\gamma} - \gamma(1 - p_t)^{\gamma - 1}p_t\log p_t\right]$
 *   ($G_i = \alpha_{y_i}$ at $\gamma = 0$: softmax(x) - onehot(y)), taken as
 *   $\alpha_{y_i}(1 - p_t)^\gamma\left[1 + \gamma p_t \frac{-\log p_t}{1 - p_t}\right]$ so that no power of a tiny
 *   $1 - p_t$ overflows for $\gamma < 1$ (the ratio tends to 1). No clamp: every finite logit gives a
 *   finite value and gradient; an `alpha` so large the gradient leaves float64 throws.
 * - No PyTorch built-in. The FocalLoss class of the source post (seed 004) gives the same value
 *   (it multiplies $\log p_t$ by $\alpha_t$ after taking $p_t$, which is the same product), but it
 *   detaches $p_t$, so its gradient omits the $\gamma$ term above; its `gamma` defaults to 0 and its
 *   scalar `alpha` means `[α, 1 - α]`.
 *
 * @example
 * focalLoss([[2, 1, 0.1]], [0]) // 0.04849234340769347
 * focalLoss([[0, 40]], [1]) // 7.667648073721999e-53
 * focalLoss.grad([[0, 0]], [1], { gamma: 0 }) // [[0.5, -0.5]]
 */
export const focalLoss = defineLoss<ClassIndices, typeof spec, ReturnType<typeof prepare>>({
  name: 'focalLoss',
  options: spec,
  prepare,
  value: (c) => pass(c, null),
  grad(c, out) {
    pass(c, out);
  },
  valueAndGrad: (c, out) => pass(c, out),
  writesEveryElement: true,
});

/** One pass over the rows: the reduced loss, and with `out` the gradient written alongside. */
function pass(c: Prepared, out: FloatArray | null): number | Float64Array {
  const scale = gradScale('focalLoss', c.reduction, c.rows);
  const items = c.reduction === 'none' ? new Float64Array(c.rows) : null;
  const e = new Float64Array(c.cols);
  const stats = new Float64Array(2);
  let total = 0;
  let error = 0;
  for (let r = 0; r < c.rows; r++) {
    const loss = focalRow(c, r, out, scale, e, stats);
    const sum = total + loss;
    error += twoSumError(total, loss, sum);
    total = sum;
    if (items) items[r] = loss;
  }
  return reduce('focalLoss', c.reduction, compensated(total, error), c.rows, items);
}

type Prepared = ReturnType<typeof prepare>;

/**
 * One row's loss; with `out`, also writes scale · d loss / d x for the row. From the row kernel
 * (see rowKernels): log p_t = (x_y - m) - log1p(t) and 1 - p_t = q = rest_y / s, the
 * sum of the other classes' e_j (never 1 - p_t, which is 0 or a few ulps for a confident row).
 *
 * d/dp_t [-(1 - p_t)^γ log p_t] = γ (1 - p_t)^(γ-1) log p_t - (1 - p_t)^γ / p_t; times
 * dp_t/dx_c = p_t (δ_cy - p_c) this is G (p_c - δ_cy) with
 * G = α q^γ [1 + γ p_t (-log p_t) / q], the TSDoc's G with q^(γ-1) written as q^γ / q, so no
 * power of a tiny q overflows for γ < 1 (-log p_t / q -> 1 as q -> 0); G = α q^γ at q = 0.
 * The gradient row is then crossEntropy's with the factor scale · G (writeOneHotRow).
 */
function focalRow(c: Prepared, r: number, out: FloatArray | null, scale: number, e: Float64Array, stats: Float64Array): number {
  const { x, cols, gamma } = c;
  const o = r * cols;
  const y = c.labels[r]!;
  const alpha = c.alpha ? c.alpha[y]! : 1;
  const s = softmaxRow(x, o, cols, e, 0, stats);
  if (s !== s) checkFinite('focalLoss', 'input', x);
  const xy = x[o + y]!;
  const logPt = xy - stats[ROW_MAX]! - logRowSum(stats);
  const rest = restOf(stats, s, xy, e[y]!);
  const q = rest / s;
  const mod = gamma === 0 ? 1 : Math.pow(q, gamma);
  if (out) {
    const G = q === 0 ? alpha * mod : alpha * mod * (1 + gamma * (e[y]! / s) * (-logPt / q));
    const f = scale * G;
    if (!(f < Infinity)) overflow('focalLoss', `the gradient of row ${r}`, f);
    writeOneHotRow(out, o, e, 0, cols, y, f / s, rest);
  }
  return 0 - alpha * mod * logPt; // 0 - (...): +0, never -0, for a certain row
}

function prepare(input: Values, target: ClassIndices, o: Parsed<typeof spec>) {
  const fn = 'focalLoss';
  // the row kernel finds a NaN or ±Infinity in its own pass
  const rows = toRows(fn, 'input', input, { deferScan: true });
  if (o.alpha && o.alpha.length !== rows.cols) fail(fn, 'options.alpha', `${rows.cols} values, one per class`, `${o.alpha.length}`);
  const labels = toClassIndices(fn, 'target', target, rows.rows, rows.cols);
  return { x: rows.data, rows: rows.rows, cols: rows.cols, size: rows.data.length, labels, alpha: o.alpha ?? null, gamma: o.gamma, reduction: o.reduction };
}
