import { overflow } from '../errors';
import { numberOption, reduction, type OptionsOf, type Parsed } from '../options';
import { toClassIndices } from '../tensor/classIndices';
import { toRows } from '../tensor/flatten';
import { assertProbabilities } from '../tensor/probabilities';
import type { ClassIndices, FloatArray, Values } from '../tensor/types';
import { defineLoss } from './defineLoss';
import { reduceRows } from './reduceRows';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** q in (0, 1) (default 0.5, Keras's): towards 0 the loss tends to -log p, at 1 it would be 1 - p (MAE). */
  q: numberOption(0.5, { above: 0, below: 1 }),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type GeneralizedCrossEntropyOptions = OptionsOf<typeof spec>;

/**
 * Generalized cross-entropy (Zhang & Sabuncu 2018), a noise-robust loss between cross-entropy
 * and mean absolute error, on probabilities with integer class targets. With $p_i$ the input's
 * probability of the target class $y_i$ (taken as it is: no renormalisation, no clip):
 *
 * $$\ell_i = \frac{1 - p_i^{\,q}}{q}$$
 *
 * which tends to $-\log p_i$ as $q \to 0$ and is $1 - p_i$ at $q = 1$.
 *
 * - `reduction`: `'mean'` (default) over samples, `'sum'`, `'none'` the per-sample $\ell_i$.
 * - Options: `q` in (0, 1), default 0.5 (Keras rejects other values too).
 * - Shapes: input `[N, C]` probabilities in [0, 1], or `[C]` for one sample; target `[N]` class
 *   indices in `[0, C)` (a bare number for one sample).
 * - Gradient: $\partial\ell_i/\partial p_i = -p_i^{\,q - 1}$ at the target class (computed as
 *   $-p_i^{\,q}/p_i$), 0 elsewhere; over $N$ for `'mean'`. At $p_i = 0$ it is $-\infty$ (Keras returns
 *   that): the value is defined, $1/q$, but the gradient throws, as does one beyond float64 (a
 *   subnormal $p_i$).
 * - Stable form: $1 - p^q = -\mathrm{expm1}(q \log p)$, so a confident $p$ within $10^{-12}$ of 1 gives its
 *   $10^{-12}$-sized loss to the last digits, where $1 - p^q$ keeps four.
 * - Keras: `CategoricalGeneralizedCrossEntropy(q=0.5)` (keras/src/losses/losses.py,
 *   `categorical_generalized_cross_entropy`: `p = sum(y_pred * one_hot(y_true))`,
 *   `(1 - power(p, q)) / q`), reduction `sum_over_batch_size`. No PyTorch built-in.
 *
 * @example
 * generalizedCrossEntropy([[0.7, 0.3], [0.2, 0.8], [0.6, 0.4], [0.4, 0.6]], [0, 1, 0, 1]) // 0.35985972199152094
 * generalizedCrossEntropy([0.25, 0.75], 0, { q: 0.5 }) // 1
 * generalizedCrossEntropy.grad([0.25, 0.75], 0) // [-2, 0]
 */
export const generalizedCrossEntropy = defineLoss<ClassIndices, typeof spec, Prepared>({
  name: 'generalizedCrossEntropy',
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

/** One pass over the rows: the reduced loss, and with `out` the gradient (nonzero at each row's target only). */
function pass(c: Prepared, out: FloatArray | null): number | Float64Array {
  const fn = 'generalizedCrossEntropy';
  const { p, cols, q } = c;
  if (out) out.fill(0);
  return reduceRows(fn, c.reduction, c.rows, (r, scale) => {
    const at = r * cols + c.labels[r]!;
    const pt = p[at]!;
    const loss = -Math.expm1(q * Math.log(pt)) / q;
    if (out) {
      // d/dp (1 - p^q)/q = -p^(q - 1), as -p^q / p (q - 1 would round)
      const g = pt === 0 ? -Infinity : (-scale * Math.pow(pt, q)) / pt;
      if (g - g !== 0) overflow(fn, `the gradient at input[${at}] (-p^(q - 1) at p = ${pt})`, g);
      out[at] = g;
    }
    return loss;
  });
}

function prepare(input: Values, target: ClassIndices, o: Parsed<typeof spec>) {
  const fn = 'generalizedCrossEntropy';
  const rows = toRows(fn, 'input', input);
  assertProbabilities(fn, 'input', rows.data);
  const labels = toClassIndices(fn, 'target', target, rows.rows, rows.cols);
  return { p: rows.data, rows: rows.rows, cols: rows.cols, size: rows.data.length, labels, q: o.q, reduction: o.reduction };
}
