import { INT32, numberOption, optionalVector, reduction, type OptionsOf, type Parsed } from '../options';
import { compensated, twoSumError } from '../math/twoSum';
import { gradScale, reduce } from '../reduce';
import { toClassIndices } from '../tensor/classIndices';
import { toRows } from '../tensor/flatten';
import type { ClassIndices, Values } from '../tensor/types';
import { classWeights, meanWeights } from './classWeights';
import { defineLoss } from './defineLoss';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** Per-class rescaling weights `w_c`, one per class (default all 1). */
  weight: optionalVector({ min: 0 }),
  /** A target equal to this is skipped (default -100). */
  ignoreIndex: numberOption(-100, INT32),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type NllLossOptions = OptionsOf<typeof spec>;

/**
 * Negative log-likelihood on log-probabilities (음의 로그 우도): picks minus the input at the
 * target class. `nllLoss(logSoftmax(x), y)` equals `crossEntropy(x, y)`.
 *
 * $$\ell_i = -w_{y_i}\, x_{i y_i} \quad (0 \text{ when } y_i = \text{ignoreIndex})$$
 *
 * - `reduction`: `'mean'` (default) $\sum_i \ell_i / \sum_i w_{y_i}$ over non-ignored samples
 *   (throws when that total weight is 0), `'sum'` $\sum_i \ell_i$, `'none'` the per-sample $\ell_i$.
 * - Options: `weight` (all 1), `ignoreIndex` (-100).
 * - Shapes: input `[N, C]` log-probabilities or `[C]` for one sample (any real numbers are accepted,
 *   as PyTorch does); target `[N]` class indices, a bare number for one sample.
 * - Gradient: $\partial\ell_i/\partial x_{ic} = -w_{y_i}$ if $c = y_i$, else 0; over $\sum_i w_{y_i}$ for `'mean'`.
 * - The sum over samples is compensated, so terms that cancel (`[[1e16], [3.5], [-1e16]]` sums
 *   to -3.5; PyTorch gives -4) keep their digits; for `'mean'`, weights whose total (or its
 *   inverse) leaves float64 are rescaled by a power of two, which leaves the mean unchanged.
 * - PyTorch: `F.nll_loss(input, target, weight, ignore_index=-100)`.
 *
 * @example
 * nllLoss([[Math.log(0.9), Math.log(0.1)], [Math.log(0.2), Math.log(0.8)]], [0, 1]) // 0.164252033486018
 * nllLoss.grad([[-1, -2], [-3, -4]], [0, 1]) // [[-0.5, 0], [0, -0.5]]
 */
export const nllLoss = defineLoss<ClassIndices, typeof spec, ReturnType<typeof prepare>>({
  name: 'nllLoss',
  options: spec,
  prepare,
  value({ x, rows, cols, labels, weight, ignoreIndex, reduction, count }) {
    const items = reduction === 'none' ? new Float64Array(rows) : null;
    // compensated (see twoSum): any real input is accepted, and its terms may cancel
    let total = 0;
    let error = 0;
    for (let r = 0; r < rows; r++) {
      const k = labels[r]!;
      if (k === ignoreIndex) continue;
      const loss = -weight[k]! * x[r * cols + k]!;
      const sum = total + loss;
      error += twoSumError(total, loss, sum);
      total = sum;
      if (items) items[r] = loss;
    }
    return reduce('nllLoss', reduction, compensated(total, error), count, items);
  },
  // d/dx_ic (-w_y x_iy) = -w_y at c = y, 0 elsewhere.
  // (-w_y / Σw for 'mean', one rounding, rather than -w_y · (1 / Σw), two)
  grad({ rows, cols, labels, weight, ignoreIndex, reduction, count }, out) {
    gradScale('nllLoss', reduction, count); // throws for a 'mean' over nothing
    const d = reduction === 'mean' ? count : 1;
    for (let r = 0; r < rows; r++) {
      const k = labels[r]!;
      if (k !== ignoreIndex) out[r * cols + k] = -weight[k]! / d;
    }
  },
});

function prepare(input: Values, target: ClassIndices, o: Parsed<typeof spec>) {
  const fn = 'nllLoss';
  const rows = toRows(fn, 'input', input);
  const labels = toClassIndices(fn, 'target', target, rows.rows, rows.cols, o.ignoreIndex);
  // weights rescaled by a power of two where Σ w[y_i] or its inverse would leave float64 (see meanWeights)
  const { weight, count } = meanWeights(classWeights(fn, o.weight, rows.cols), labels, o.ignoreIndex, o.reduction === 'mean');
  return { x: rows.data, rows: rows.rows, cols: rows.cols, size: rows.data.length, labels, weight, ignoreIndex: o.ignoreIndex, reduction: o.reduction, count };
}
