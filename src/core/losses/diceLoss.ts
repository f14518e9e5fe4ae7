import { fail } from '../errors';
import { numberOption, reduction, type OptionsOf, type Parsed } from '../options';
import { gradScale, reduce } from '../reduce';
import { assertSameShape, toFlat, toRows } from '../tensor/flatten';
import { assertProbabilities } from '../tensor/probabilities';
import type { FloatArray, Values } from '../tensor/types';
import { defineLoss, type ReductionOptions } from './defineLoss';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** s >= 0, added to the Dice coefficient's numerator and denominator (default 1). */
  smooth: numberOption(1, { min: 0 }),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type DiceLossOptions = OptionsOf<typeof spec>;

/**
 * Dice loss (다이스 손실) for segmentation: one minus the soft Dice coefficient of the
 * predicted mask $p$ (`input`, probabilities) and the true mask $y$ (`target`), per sample:
 *
 * $$\ell_i = 1 - \frac{2\sum_j y_{ij}p_{ij} + s}{\sum_j y_{ij} + \sum_j p_{ij} + s}$$
 *
 * - Samples: each row of a `[N, D]` input is one sample (one mask, flattened), so every image
 *   counts equally; a `[D]` input is one sample, the whole-array Dice loss.
 * - `reduction` over samples: `'mean'` (default) $\frac1N\sum\ell_i$, `'sum'` $\sum\ell_i$,
 *   `'none'` the per-sample $\ell_i$.
 * - `smooth`: $s$, default 1, must be >= 0; it keeps empty masks defined (loss 0 when both are
 *   empty). With $s = 0$ a row where input and target are both all zero is 0/0 and throws.
 * - Shapes: input `[N, D]` or `[D]`, probabilities in [0, 1]; `target` the same shape, in [0, 1]
 *   (binary or soft masks). Flatten `[N, H, W]` masks to `[N, H*W]`.
 * - Gradient: with $I = \sum_j y_{ij}p_{ij}$ and $U = \sum_j y_{ij} + \sum_j p_{ij}$,
 *   $\partial\ell_i/\partial p_{ij} = \frac{(2I + s) - 2y_{ij}(U + s)}{(U + s)^2}$, over $N$ for `'mean'`.
 * - PyTorch / Keras: no built-in loss; this is the common `dice_loss(y_true, y_pred, smooth=1)`
 *   applied per sample (as `segmentation_models_pytorch`'s DiceLoss with per-image statistics).
 *
 * @example
 * diceLoss([0.9, 0.8, 0.1, 0.2], [1, 1, 0, 0]) // 0.11999999999999988
 * diceLoss.grad([1, 0], [1, 1], { smooth: 0 }) // [-0.4444444444444444, -0.4444444444444444]
 */
export const diceLoss = defineLoss<Values, typeof spec, ReturnType<typeof prepare>>({
  name: 'diceLoss',
  options: spec,
  prepare,
  value(c) {
    const items = c.reduction === 'none' ? new Float64Array(c.rows) : null;
    let total = 0;
    for (let r = 0; r < c.rows; r++) {
      const { inter, union } = rowSums(c.p, c.y, r * c.cols, c.cols);
      const l = 1 - (2 * inter + c.smooth) / (union + c.smooth);
      total += l;
      if (items) items[r] = l;
    }
    return reduce('diceLoss', c.reduction, total, c.rows, items);
  },
  // d/dp_j [1 - (2I + s)/(U + s)] = -[2 y_j (U + s) - (2I + s)] / (U + s)^2
  grad(c, out) {
    const scale = gradScale('diceLoss', c.reduction, c.rows);
    for (let r = 0; r < c.rows; r++) {
      const o = r * c.cols;
      const { inter, union } = rowSums(c.p, c.y, o, c.cols);
      const num = 2 * inter + c.smooth;
      const den = union + c.smooth;
      for (let j = o; j < o + c.cols; j++) out[j] = (scale * (num - 2 * c.y[j]! * den)) / (den * den);
    }
  },
});

/** I = Σ y p and U = Σ y + Σ p over one row. */
function rowSums(p: FloatArray, y: FloatArray, o: number, cols: number): { inter: number; union: number } {
  let inter = 0;
  let union = 0;
  for (let j = o; j < o + cols; j++) {
    inter += y[j]! * p[j]!;
    union += y[j]! + p[j]!;
  }
  return { inter, union };
}

function prepare(input: Values, target: Values, { reduction, smooth }: Parsed<typeof spec>) {
  const fn = 'diceLoss';
  const p = toRows(fn, 'input', input);
  const y = toFlat(fn, 'target', target);
  assertSameShape(fn, p, 'input', y, 'target');
  assertProbabilities(fn, 'input', p.data);
  assertProbabilities(fn, 'target', y.data);
  const c = { p: p.data, y: y.data, rows: p.rows, cols: p.cols, size: p.data.length, reduction, smooth };
  if (smooth === 0) assertNoEmptyPair(fn, c);
  return c;
}

/** With smooth 0, a row where input and target are both all zero has Dice 0/0. */
function assertNoEmptyPair(fn: string, c: { p: FloatArray; y: FloatArray; rows: number; cols: number }): void {
  for (let r = 0; r < c.rows; r++) {
    if (rowSums(c.p, c.y, r * c.cols, c.cols).union === 0) {
      fail(fn, 'options.smooth', `> 0 when input and target row ${r} are both all zero (Dice is 0/0)`, '0');
    }
  }
}
