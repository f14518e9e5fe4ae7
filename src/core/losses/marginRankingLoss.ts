import { numberOption, reduction, type OptionsOf, type Parsed } from '../options';
import { assertSameShape, toFlat } from '../tensor/flatten';
import type { FloatArray, GradOf, Values } from '../tensor/types';
import * as twoSumModule from '../math/twoSum';
import { defineMultiLoss } from './defineLoss';
import { reduceRows } from './reduceRows';
import { assertSigns } from './signs';

// module-local bindings (see bceFromLogits)
const { compensated, twoSumError } = twoSumModule;

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** m: how far the preferred score must lead to cost nothing (default 0). */
  margin: numberOption(0),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type MarginRankingLossOptions = OptionsOf<typeof spec>;

/**
 * Margin ranking loss (마진 랭킹 손실): for scores of two candidates and a label saying which
 * should rank higher ($y_i = 1$: the first, $y_i = -1$: the second), the amount by which the
 * preferred score fails to lead by the margin $m$. Elementwise over any shape:
 *
 * $$\ell_i = \max\bigl(0,\ -y_i\,(x^{(1)}_i - x^{(2)}_i) + m\bigr)$$
 *
 * - `reduction`: `'mean'` (default) $\frac1n\sum\ell_i$, `'sum'` $\sum\ell_i$, `'none'` the $\ell_i$.
 * - `margin`: $m$, default 0 (any finite number).
 * - Shapes: `input1`, `input2` and `target` any equal shape (a rank-0 tensor is one item, as
 *   PyTorch's 0-d tensors); `target` holds -1 or 1 only (anything else throws).
 * - Gradient: $[\partial\ell_i/\partial x^{(1)}_i,\ \partial\ell_i/\partial x^{(2)}_i] = [-y_i,\ y_i]$
 *   where $-y_i(x^{(1)}_i - x^{(2)}_i) + m \ge 0$, else $[0, 0]$ (PyTorch's `clamp_min` passes the
 *   gradient at the kink); over $n$ for `'mean'`. `.grad` returns `[d input1, d input2]`.
 * - PyTorch: `F.margin_ranking_loss(input1, input2, target, margin=0)`.
 *
 * @example
 * marginRankingLoss([3, 1], [1, 2], [1, 1]) // 0.5
 * marginRankingLoss([3, 1], [1, 2], [1, -1], { margin: 2, reduction: 'none' }) // Float64Array [0, 1]
 * marginRankingLoss.grad([3, 1], [1, 2], [1, 1]) // [[0, -0.5], [0, 0.5]]
 */
export const marginRankingLoss = defineMultiLoss<[input1: Values, input2: Values, target: Values], [GradOf<Values>, GradOf<Values>], typeof spec, Prepared>({
  name: 'marginRankingLoss',
  options: spec,
  args: ['input1', 'input2', 'target'],
  differentiable: [0, 1],
  prepare,
  sizes: (c) => [c.size, c.size],
  value: (c) => pass(c, null, null),
  grad(c, [d1, d2]) {
    pass(c, d1!, d2!);
  },
  valueAndGrad: (c, [d1, d2]) => pass(c, d1!, d2!),
  writesEveryElement: true,
});

type Prepared = ReturnType<typeof prepare>;

/** The reduced loss (the items for `'none'`), and with d1, d2 both gradients, in one pass. */
function pass(c: Prepared, d1: FloatArray | null, d2: FloatArray | null): number | Float64Array {
  const { x1, x2, y, size, margin } = c;
  return reduceRows('marginRankingLoss', c.reduction, size, (i, s) => {
    // z = -y (x1 - x2) + m with both roundings compensated (y = ±1, so -y d is exact): its sign, and
    // with it whether the pair is active, is the exact one even where m cancels x1 - x2
    const d = x1[i]! - x2[i]!;
    const t = -y[i]! * d;
    const zhi = t + margin;
    const z = compensated(zhi, twoSumError(t, margin, zhi) - y[i]! * twoSumError(x1[i]!, -x2[i]!, d));
    // d/dx1 max(0, z) = -y, d/dx2 = y, where z >= 0 (the gradient passes at z = 0, as PyTorch)
    if (d1) {
      const g = z >= 0 ? s * y[i]! : 0;
      d1[i] = g === 0 ? 0 : -g;
      d2![i] = g;
    }
    return z > 0 ? z : 0;
  });
}

function prepare(args: readonly unknown[], o: Parsed<typeof spec>) {
  const fn = 'marginRankingLoss';
  const a = toFlat(fn, 'input1', args[0] as Values);
  const b = toFlat(fn, 'input2', args[1] as Values);
  assertSameShape(fn, a, 'input1', b, 'input2');
  const t = toFlat(fn, 'target', args[2] as Values);
  assertSameShape(fn, a, 'input1', t, 'target');
  assertSigns(fn, 'target', t.data);
  return { x1: a.data, x2: b.data, y: t.data, size: a.data.length, reduction: o.reduction, margin: o.margin };
}
