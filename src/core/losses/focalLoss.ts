import { fail } from '../errors';
import * as expModule from '../math/fastExp';
import * as rowModule from '../math/rowKernels';
import { numberOption, optionalVector, reduction, type OptionsOf, type Parsed } from '../options';
import { gradScale, reduce } from '../reduce';
import { toClassIndices } from '../tensor/classIndices';
import { toRows } from '../tensor/flatten';
import type { ClassIndices, FloatArray, Values } from '../tensor/types';
import { defineLoss, type ReductionOptions } from './defineLoss';

// Module-local bindings of the imports used per element: CommonJS builds (tsx) read an import
// through a getter at each use, which V8 does not inline into a hot loop; these are read once.
const fastExp = expModule.fastExp;
const { expSumRow, logSumExpRow } = rowModule;

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
 * $\log p_t = x_{i y_i} - \log\sum_k e^{x_{ik}}$ is taken stably (see logSumExp), and $1 - p_t$ as
 * $-\mathrm{expm1}(\log p_t)$. At $\gamma = 0$ without `alpha` this is crossEntropy exactly.
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
 *   ($G_i = \alpha_{y_i}$ at $\gamma = 0$: softmax(x) - onehot(y)).
 * - No PyTorch built-in. The FocalLoss class of the source post (seed 004) gives the same value
 *   (it multiplies $\log p_t$ by $\alpha_t$ after taking $p_t$, which is the same product), but it
 *   detaches $p_t$, so its gradient omits the $\gamma$ term above; its `gamma` defaults to 0 and its
 *   scalar `alpha` means `[α, 1 - α]`.
 *
 * @example
 * focalLoss([[2, 1, 0.1]], [0]) // 0.048492343407693546
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
});

/** One pass over the rows: the reduced loss, and with `out` the gradient written alongside. */
function pass(c: Prepared, out: FloatArray | null): number | Float64Array {
  const scale = gradScale('focalLoss', c.reduction, c.rows);
  const items = c.reduction === 'none' ? new Float64Array(c.rows) : null;
  let total = 0;
  for (let r = 0; r < c.rows; r++) {
    const loss = rowLossAndGrad(c, r, out, scale);
    total += loss;
    if (items) items[r] = loss;
  }
  return reduce('focalLoss', c.reduction, total, c.rows, items);
}

type Prepared = ReturnType<typeof prepare>;

/**
 * One row's loss; with `out`, also writes scale · d loss / d x for the row.
 * d/dp_t [-(1 - p_t)^γ log p_t] = γ (1 - p_t)^(γ-1) log p_t - (1 - p_t)^γ / p_t; times
 * dp_t/dx_c = p_t (δ_cy - p_c) this is G (p_c - δ_cy), G as in the TSDoc. As p_t -> 1,
 * (1 - p_t)^(γ-1) p_t log p_t -> -(1 - p_t)^γ -> 0, so the γ term is 0 at p_t = 1 (no 0·Inf).
 */
function rowLossAndGrad(c: Prepared, r: number, out: FloatArray | null, scale: number): number {
  const { x, cols, gamma } = c;
  const o = r * cols;
  const y = c.labels[r]!;
  const a = c.alpha ? c.alpha[y]! : 1;
  const lse = logSumExpRow(x, o, cols);
  const logPt = x[o + y]! - lse;
  const rest = -Math.expm1(logPt);
  const mod = gamma === 0 ? 1 : Math.pow(rest, gamma);
  if (out) {
    const focus = gamma === 0 || rest === 0 ? 0 : gamma * Math.pow(rest, gamma - 1) * Math.exp(logPt) * logPt;
    const g = scale * a * (mod - focus);
    softmaxMinusTarget(x, o, cols, y, g, out);
  }
  return -a * mod * logPt;
}

/**
 * out_c = g (softmax_c - [c = y]) with softmax_c = e_c / s, e_c = exp(x_c - m), m the row's max
 * (fastExp, s summed by expSumRow): the way crossEntropy's kernel computes it, so that at γ = 0 both give the same bits.
 */
function softmaxMinusTarget(x: FloatArray, o: number, cols: number, y: number, g: number, out: FloatArray): void {
  let m = -Infinity;
  for (let j = 0; j < cols; j++) m = Math.max(m, x[o + j]!);
  if (m === -Infinity || m === Infinity) {
    const lse = logSumExpRow(x, o, cols);
    for (let j = 0; j < cols; j++) out[o + j] = g * (fastExp(x[o + j]! - lse) - (j === y ? 1 : 0));
    return;
  }
  const b = g / expSumRow(x, o, cols, m);
  for (let j = 0; j < cols; j++) out[o + j] = b * fastExp(x[o + j]! - m) - (j === y ? g : 0);
}

function prepare(input: Values, target: ClassIndices, o: Parsed<typeof spec>) {
  const fn = 'focalLoss';
  const rows = toRows(fn, 'input', input);
  if (o.alpha && o.alpha.length !== rows.cols) fail(fn, 'options.alpha', `${rows.cols} values, one per class`, `${o.alpha.length}`);
  const labels = toClassIndices(fn, 'target', target, rows.rows, rows.cols);
  return { x: rows.data, rows: rows.rows, cols: rows.cols, size: rows.data.length, labels, alpha: o.alpha ?? null, gamma: o.gamma, reduction: o.reduction };
}
