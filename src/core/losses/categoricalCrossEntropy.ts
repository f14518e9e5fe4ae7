import { flag, numberOption, reduction, type OptionsOf, type Parsed } from '../options';
import { assertSameShape, toFlat, toRows } from '../tensor/flatten';
import { assertProbabilities } from '../tensor/probabilities';
import type { Values } from '../tensor/types';
import { assertProbabilityRows, categoricalPass, type CategoricalBatch } from './categoricalKernel';
import { defineLoss } from './defineLoss';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** The input holds logits rather than probabilities (default false). */
  fromLogits: flag(false),
  /** s in [0, 1]: targets become t (1 - s) + s / C, as Keras (default 0). */
  labelSmoothing: numberOption(0, { min: 0, max: 1 }),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type CategoricalCrossEntropyOptions = OptionsOf<typeof spec>;

/**
 * Categorical cross-entropy as Keras computes it (범주형 교차 엔트로피), one value per sample,
 * with one-hot or soft targets of the input's shape. On probabilities each row is first
 * renormalised, then clipped to $[\varepsilon, 1 - \varepsilon]$ with $\varepsilon = 10^{-7}$:
 *
 * $$\ell_i = -\sum_c t'_{ic}\log \operatorname{clip}\!\Big(\frac{p_{ic}}{\sum_k p_{ik}}, \varepsilon, 1 - \varepsilon\Big),
 *   \qquad t' = t(1 - s) + s / C$$
 *
 * With `fromLogits` the input is logits and $\ell_i = -\sum_c t'_{ic}\log\mathrm{softmax}(x_i)_c$,
 * softmax and log fused (no clip); see crossEntropy, which adds PyTorch's class weights.
 *
 * - `reduction`: `'mean'` (default) over samples, `'sum'`, `'none'` the per-sample $\ell_i$.
 * - Options: `fromLogits` (default false), `labelSmoothing` $s$ (default 0).
 * - Shapes: `input` `[N, C]`, or `[C]` for one sample; `target` the same shape, values in [0, 1].
 *   Probability inputs must lie in [0, 1] with a positive sum per row.
 * - Gradient: on probabilities, with $q = p/\sum_k p_k$ and $g_c = -t'_c/q_c$ where $q_c$ is not clipped
 *   (0 where it is), $\partial\ell/\partial p_k = (g_k - \sum_c g_c q_c)/\sum_c p_c$;
 *   from logits, $\mathrm{softmax}(x)\sum_c t'_c - t'$. Over $N$ for `'mean'`.
 * - Stable forms: on probabilities the row sum is compensated and, at the row's largest $p_a$,
 *   $\log q_a = -\mathrm{log1p}(\sum_{c \ne a} p_c / p_a)$ (a confident row's loss $\approx 10^{-5}$ keeps every
 *   digit; the log of a rounded $q_a$ keeps five); from logits, crossEntropy's row kernel (see there).
 *   A row summing to a subnormal has a gradient ($\propto 1/\sum_k p_k$) beyond float64 and throws,
 *   where Keras returns Infinity.
 * - Keras: `CategoricalCrossentropy(from_logits, label_smoothing)`; PyTorch (logits only):
 *   `F.cross_entropy` with probability targets.
 *
 * @example
 * categoricalCrossEntropy([[0.3, 0.1, 0.6], [0.3, 0.5, 0.2], [0.4, 0.1, 0.5]], [[1, 0, 0], [0, 1, 0], [0, 0, 1]]) // 0.8634223884819422
 * categoricalCrossEntropy.grad([0.5, 0.5], [1, 0]) // [-1, 1]
 */
export const categoricalCrossEntropy = defineLoss<Values, typeof spec, CategoricalBatch>({
  name: 'categoricalCrossEntropy',
  options: spec,
  prepare,
  value: (c) => categoricalPass('categoricalCrossEntropy', c, null),
  grad(c, out) {
    categoricalPass('categoricalCrossEntropy', c, out);
  },
  valueAndGrad: (c, out) => categoricalPass('categoricalCrossEntropy', c, out),
  writesEveryElement: true,
});

function prepare(input: Values, target: Values, o: Parsed<typeof spec>): CategoricalBatch {
  const fn = 'categoricalCrossEntropy';
  // from logits the row kernel finds a NaN or ±Infinity in its own pass
  const rows = toRows(fn, 'input', input, { deferScan: o.fromLogits });
  const y = toFlat(fn, 'target', target);
  assertSameShape(fn, rows, 'input', y, 'target');
  assertProbabilities(fn, 'target', y.data);
  if (!o.fromLogits) assertProbabilityRows(fn, rows);
  const s = o.labelSmoothing;
  const t = s === 0 ? y.data : Float64Array.from(y.data, (v) => v * (1 - s) + s / rows.cols);
  return { x: rows.data, t, rows: rows.rows, cols: rows.cols, size: rows.data.length, fromLogits: o.fromLogits, reduction: o.reduction };
}
