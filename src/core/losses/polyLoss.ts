import { leaveOneOut } from '../math/leaveOneOut';
import * as rowModule from '../math/rowKernels';
import { compensated, twoSumError } from '../math/twoSum';
import { numberOption, reduction, type OptionsOf, type Parsed } from '../options';
import { gradScale, reduce } from '../reduce';
import { toClassIndices } from '../tensor/classIndices';
import { checkFinite, toRows } from '../tensor/flatten';
import type { ClassIndices, FloatArray, Values } from '../tensor/types';
import { probabilityTarget } from './crossEntropy';
import { defineLoss } from './defineLoss';
import { softRow } from './softmaxRows';

// Module-local bindings of the imports used per row (see rowKernels).
const { logRowSum, restOf, softmaxRow, writeOneHotRow, ROW_MAX } = rowModule;

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** ε, the weight of the polynomial term $(1 - p_t)$ (default 2, optax's); any finite number, ε >= -1 keeps the loss >= 0. */
  epsilon: numberOption(2),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type PolyLossOptions = OptionsOf<typeof spec>;

/**
 * Poly-1 loss (Leng et al. 2022) on logits: crossEntropy plus ε times the first term of its
 * Taylor series in $1 - p_t$. With $p_{ic} = \mathrm{softmax}(x_i)_c$:
 *
 * - class-index targets $y_i$: $\ell_i = -\log p_{i y_i} + \varepsilon\,(1 - p_{i y_i})$;
 * - probability targets $t_{ic}$ (same shape as input): $\ell_i = -\sum_c t_{ic}\log p_{ic} + \varepsilon\sum_c t_{ic}(1 - p_{ic})$,
 *   which is $-\sum_c t_{ic}\log p_{ic} + \varepsilon\,(1 - \sum_c t_{ic}p_{ic})$ for targets summing to 1 (optax's $p_t$).
 *
 * - `reduction` over samples: `'mean'` (default) $\frac1N\sum\ell_i$, `'sum'`, `'none'` the per-sample $\ell_i$.
 * - Options: `epsilon` ε (default 2, as optax). At ε = 0 this is crossEntropy (without its `weight`,
 *   `ignoreIndex`, `labelSmoothing`, which optax's loss does not have); ε = -1 removes the first
 *   Taylor term (the loss is then $O((1 - p_t)^2)$).
 * - Shapes: input `[N, C]` logits or `[C]` for one sample; target `[N]` class indices (a bare number
 *   for one sample) or `[N, C]` probabilities, read as crossEntropy reads them.
 * - Gradient: class indices, $\partial\ell_i/\partial x_{ic} = (1 + \varepsilon p_{i y_i})(p_{ic} - \delta_{c y_i})$;
 *   probability targets, $W_i p_{ic} - t_{ic} + \varepsilon\,p_{ic}\big(\sum_k t_{ik}p_{ik} - t_{ic}\big)$ with $W_i = \sum_c t_{ic}$.
 *   Over $N$ for `'mean'`.
 * - Stable forms: $-\log p_t$ and $1 - p_t = \sum_{j \ne t} e^{x_j - m}/s$ come from crossEntropy's row
 *   kernel (see rowKernels), never $1 - p_t$ itself, so a confident row keeps every digit:
 *   `polyLoss([[0, 40]], [1])` is $\mathrm{log1p}(e^{-40}) + 2e^{-40}/(1 + e^{-40})$, where optax's
 *   `1 - p` is 0. For probability targets, $\sum_k t_k p_k - t_c = (\sum_{k \ne c} t_k e_k - t_c\,\mathrm{rest}_c)/s$
 *   with the leave-one-out sum taken without cancellation (leaveOneOut). For ε >= -1 every term
 *   of the value and of the class-index gradient's factor is >= 0; for ε < 0 the value is the
 *   difference of its two accurate terms, so near ε = -1 on a confident row it keeps only the digits that difference has.
 * - optax: `poly_loss_cross_entropy(logits, labels, epsilon=2.0)` (optax/losses/_classification.py:
 *   `softmax_cross_entropy(logits, labels) + epsilon * sum(labels * (1 - softmax(logits)))`), with
 *   one-hot `labels` for class indices and the mean over the batch. No PyTorch or Keras built-in.
 *
 * @example
 * polyLoss([[2, 1, 0.1]], [0]) // 1.0990277385058977
 * polyLoss([[2, 1, 0.1]], [0], { epsilon: 0 }) // 0.41703001627783354
 * polyLoss.grad([[0, 0]], [1], { epsilon: 1 }) // [[0.75, -0.75]]
 */
export const polyLoss = defineLoss<ClassIndices | Values, typeof spec, Prepared>({
  name: 'polyLoss',
  options: spec,
  prepare,
  value: (c) => pass(c, null),
  grad(c, out) {
    pass(c, out);
  },
  valueAndGrad: (c, out) => pass(c, out),
  writesEveryElement: true,
});

type Prepared = ReturnType<typeof prepare>;

/** One pass over the rows: the reduced loss, and with `out` the gradient written alongside. */
function pass(c: Prepared, out: FloatArray | null): number | Float64Array {
  const scale = gradScale('polyLoss', c.reduction, c.rows);
  const items = c.reduction === 'none' ? new Float64Array(c.rows) : null;
  const e = new Float64Array(c.cols);
  const stats = new Float64Array(3);
  // probability rows add the polynomial term's gradient to crossEntropy's: in float64, rounded once
  const g = !out || !c.probs ? null : out instanceof Float64Array ? out : new Float64Array(out.length);
  const scratch = c.probs ? { te: new Float64Array(c.cols), others: new Float64Array(c.cols) } : null;
  let total = 0;
  let error = 0;
  for (let r = 0; r < c.rows; r++) {
    const loss = scratch ? probabilityRow(c, r, g, scale, e, stats, scratch) : labelRow(c, r, out, scale, e, stats);
    const sum = total + loss;
    error += twoSumError(total, loss, sum);
    total = sum;
    if (items) items[r] = loss;
  }
  if (out && g && g !== out) out.set(g);
  return reduce('polyLoss', c.reduction, compensated(total, error), c.rows, items);
}

/**
 * A class-index row: ℓ = -log p_k + ε (1 - p_k) with -log p_k = (m - x_k) + log s and
 * 1 - p_k = rest_k / s from the row kernel. d/dx_j [ε (1 - p_k)] = -ε p_k (δ_jk - p_j), so the
 * gradient is crossEntropy's, softmax - onehot(k), times G = 1 + ε p_k, which for -1 <= ε < 0
 * is taken as (1 + ε) - ε (1 - p_k), two terms >= 0.
 */
function labelRow(c: Prepared, r: number, out: FloatArray | null, scale: number, e: Float64Array, stats: Float64Array): number {
  const { x, cols, epsilon } = c;
  const o = r * cols;
  const k = c.labels[r]!;
  const s = softmaxRow(x, o, cols, e, 0, stats);
  if (s !== s) checkFinite('polyLoss', 'input', x);
  const xk = x[o + k]!;
  const rest = restOf(stats, s, xk, e[k]!);
  const u = rest / s;
  if (out) {
    const G = epsilon >= 0 ? 1 + epsilon * (e[k]! / s) : 1 + epsilon - epsilon * u;
    writeOneHotRow(out, o, e, 0, cols, k, (scale * G) / s, rest);
  }
  return stats[ROW_MAX]! - xk + logRowSum(stats) + epsilon * u;
}

/**
 * A probability-target row: crossEntropy's weighted-target row (softRow: its value and its
 * gradient scale (W p_j - t_j)) plus ε Σ_c t_c rest_c / s, and the gradient's
 * scale ε p_j (P - t_j), P = Σ_c t_c p_c, where P - t_j = (Σ_{c≠j} t_c e_c - t_j rest_j) / s
 * (t_j = t_j Σ_c p_c: no 1 - p_j anywhere) with the leave-one-out sums of leaveOneOut.
 */
function probabilityRow(
  c: Prepared,
  r: number,
  out: Float64Array | null,
  scale: number,
  e: Float64Array,
  stats: Float64Array,
  scratch: { te: Float64Array; others: Float64Array },
): number {
  const { x, cols, epsilon } = c;
  const t = c.probs!;
  const o = r * cols;
  const ce = softRow('polyLoss', x, o, cols, t, o, r, out, scale, e, stats);
  // softRow leaves the row's exps in e and its statistics in stats; s is theirs
  const s = softmaxRow(x, o, cols, e, 0, stats);
  const { te, others } = scratch;
  let mass = 0;
  let massError = 0;
  for (let j = 0; j < cols; j++) {
    const term = t[o + j]! * restOf(stats, s, x[o + j]!, e[j]!);
    const sum = mass + term;
    massError += twoSumError(mass, term, sum);
    mass = sum;
    te[j] = t[o + j]! * e[j]!;
  }
  if (out) {
    leaveOneOut(te, 0, cols, others);
    const k = (scale * epsilon) / s;
    for (let j = 0; j < cols; j++) {
      const gap = others[j]! - t[o + j]! * restOf(stats, s, x[o + j]!, e[j]!);
      out[o + j] = out[o + j]! + k * (e[j]! / s) * gap;
    }
  }
  return ce + (epsilon * compensated(mass, massError)) / s;
}

function prepare(input: Values, target: ClassIndices | Values, o: Parsed<typeof spec>) {
  const fn = 'polyLoss';
  // no finiteness scan here: the row kernel sees a NaN or ±Infinity in its own pass
  const rows = toRows(fn, 'input', input, { deferScan: true });
  const probs = probabilityTarget(fn, rows, target);
  const labels = probs ? new Int32Array(0) : toClassIndices(fn, 'target', target as ClassIndices, rows.rows, rows.cols);
  return { x: rows.data, rows: rows.rows, cols: rows.cols, size: rows.data.length, reduction: o.reduction, epsilon: o.epsilon, probs, labels };
}
