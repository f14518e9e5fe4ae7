import { describe, fail, overflow } from '../errors';
import { compensated, twoSumError } from '../math/twoSum';
import { customOption, numberOption, optionalVector, reduction, type OptionsOf, type Parsed } from '../options';
import { toClassIndices } from '../tensor/classIndices';
import { toRows } from '../tensor/flatten';
import type { ClassIndices, FloatArray, Values } from '../tensor/types';
import { classWeights } from './classWeights';
import { defineLoss } from './defineLoss';
import { reduceRows } from './reduceRows';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** The power of each margin violation: 1 (default, hinge) or 2 (squared hinge), as PyTorch allows. */
  p: customOption<1 | 2, number>(1, (fn, name, value) => {
    if (value === undefined) return 1;
    if (value !== 1 && value !== 2) fail(fn, name, '1 or 2', describe(value));
    return value;
  }),
  /** m: the score by which the target class should beat every other (default 1; any finite number). */
  margin: numberOption(1),
  /** Per-class weights w_y >= 0, one per class, scaling the sample's loss by its target's weight (default all 1). */
  weight: optionalVector({ min: 0 }),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type MultiMarginLossOptions = OptionsOf<typeof spec>;

/**
 * The margin violation m - x_y + x_d to about an ulp of itself: (m - x_y) + x_d with both
 * additions' rounding errors (TwoSum) added back, so a violation that is the small difference of
 * large scores (x_d - x_y = -m to 16 digits) keeps its sign and its digits. Shared with
 * multiLabelMarginLoss. Overflowing sums come back as ±Infinity (then the loss throws).
 */
export function marginGap(m: number, xy: number, xd: number): number {
  const a = m - xy;
  const z = a + xd;
  return z - z === 0 ? z + (twoSumError(a, xd, z) + twoSumError(m, -xy, a)) : z;
}

/**
 * Multi-class margin loss (다중 클래스 힌지 손실): the target class's score should exceed every other
 * class's by the margin $m$. Per sample $i$ with target $y = y_i$ over $C$ classes:
 *
 * $$\ell_i = \frac{w_y}{C}\sum_{d \ne y} \max(0,\ m - x_{iy} + x_{id})^{p}$$
 *
 * - `reduction`: `'mean'` (default) $\frac1N\sum\ell_i$, `'sum'`, `'none'` the per-sample $\ell_i$.
 * - Options: `p` 1 (default) or 2, `margin` $m$ (default 1), `weight` (one $w_c$ per class, default all 1).
 * - Shapes: input `[N, C]` scores, or `[C]` for one sample; target `[N]` class indices in `[0, C)`
 *   (a bare number for one sample).
 * - Gradient: with $z_d = m - x_y + x_d$, $\partial\ell_i/\partial x_{id} = \frac{w_y}{C}\,p\,z_d^{\,p-1}$ where $z_d > 0$
 *   (0 at and below the kink, as PyTorch) and $\partial\ell_i/\partial x_{iy} = -\sum_{d \ne y}$ of those; over $N$ for `'mean'`.
 * - Accuracy: $z_d$ is computed with the rounding errors of its two additions added back (marginGap), so
 *   the violation of nearly tied large scores keeps its digits (PyTorch, adding in float64, may lose them all).
 * - PyTorch: `F.multi_margin_loss(input, target, p=1, margin=1, weight=None)`. Its docs write the weight
 *   inside the power, $\max(0, w_y(m - x_y + x_d))^p$; its code (aten/src/ATen/native/LossMultiMargin.cpp)
 *   multiplies $z^p$ by $w_y$, as here, which differs for `p: 2`.
 *
 * @example
 * multiMarginLoss([[0.1, 0.2, 0.4, 0.8]], [3]) // 0.32499999999999996
 * multiMarginLoss([0.1, 0.2, 0.4, 0.8], 3, { p: 2 }) // 0.15249999999999997
 * multiMarginLoss.grad([[0.1, 0.2, 0.4, 0.8]], [3]) // [[0.25, 0.25, 0.25, -0.75]]
 */
export const multiMarginLoss = defineLoss<ClassIndices, typeof spec, Prepared>({
  name: 'multiMarginLoss',
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
  const fn = 'multiMarginLoss';
  return reduceRows(fn, c.reduction, c.rows, (r, scale) => {
    const loss = marginRow(c, r, out, scale);
    return loss;
  });
}

/**
 * Row r: Σ_{d≠y, z_d > 0} z_d^p (compensated) times w_y / C; with `out`, scale w_y p z_d^(p-1) / C
 * at each violating d and minus their sum (compensated) at y.
 */
function marginRow(c: Prepared, r: number, out: FloatArray | null, scale: number): number {
  const { x, cols, margin, p } = c;
  const o = r * cols;
  const y = c.labels[r]!;
  const xy = x[o + y]!;
  const w = c.weight[y]! / cols;
  const k = scale * w * p;
  let sum = 0;
  let sumError = 0;
  let g = 0;
  let gError = 0;
  for (let d = 0; d < cols; d++) {
    if (d === y) continue;
    const z = marginGap(margin, xy, x[o + d]!);
    const violated = z > 0;
    const h = !violated ? 0 : p === 1 ? z : z * z;
    const s = sum + h;
    sumError += twoSumError(sum, h, s);
    sum = s;
    if (!out) continue;
    const gd = !violated ? 0 : p === 1 ? k : k * z;
    if (gd - gd !== 0) overflow('multiMarginLoss', `the gradient at input[${o + d}]`, gd);
    out[o + d] = gd;
    const t = g + gd;
    gError += twoSumError(g, gd, t);
    g = t;
  }
  if (out) {
    const gy = 0 - compensated(g, gError); // 0 - (...): never -0
    if (gy - gy !== 0) overflow('multiMarginLoss', `the gradient at input[${o + y}]`, gy);
    out[o + y] = gy;
  }
  return w * compensated(sum, sumError);
}

function prepare(input: Values, target: ClassIndices, o: Parsed<typeof spec>) {
  const fn = 'multiMarginLoss';
  const rows = toRows(fn, 'input', input);
  const labels = toClassIndices(fn, 'target', target, rows.rows, rows.cols);
  const weight = classWeights(fn, o.weight, rows.cols);
  return { x: rows.data, rows: rows.rows, cols: rows.cols, size: rows.data.length, labels, weight, p: o.p, margin: o.margin, reduction: o.reduction };
}
