import { fail, overflow } from '../errors';
import { numberOption, reduction, type OptionsOf, type Parsed } from '../options';
import { gradScale } from '../reduce';
import { assertSameShape, toFlat, toRows } from '../tensor/flatten';
import { assertProbabilities } from '../tensor/probabilities';
import type { Values } from '../tensor/types';
import { defineLoss } from './defineLoss';
import { reduceRows } from './reduceRows';

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
 * - Gradient: with $I = \sum_j y_{ij}p_{ij}$, $U = \sum_j y_{ij} + \sum_j p_{ij}$ and $D = 1 - \ell_i$,
 *   $\partial\ell_i/\partial p_{ij} = \frac{(2I + s) - 2y_{ij}(U + s)}{(U + s)^2} = \frac{(1 - y_{ij})D - y_{ij}(1 + \ell_i)}{U + s}$,
 *   over $N$ for `'mean'` (the last form: no $(U + s)^2$ to underflow, so `smooth: 1e-200` on an
 *   empty row gives a finite 1e200; a gradient beyond float64, from a denormal `smooth`, throws).
 * - Accuracy: $\ell_i$ is computed as $\sum_j [y_{ij}(1 - p_{ij}) + p_{ij}(1 - y_{ij})] / (U + s)$, a sum of
 *   terms >= 0, rather than as $1 - D$, so a near-perfect mask keeps its small loss's digits; row sums are compensated.
 * - PyTorch / Keras: no built-in loss; this is the common `dice_loss(y_true, y_pred, smooth=1)`
 *   applied per sample (as `segmentation_models_pytorch`'s DiceLoss with per-image statistics).
 *
 * @example
 * diceLoss([0.9, 0.8, 0.1, 0.2], [1, 1, 0, 0]) // 0.12
 * diceLoss.grad([1, 0], [1, 1], { smooth: 0 }) // [-0.4444444444444444, -0.4444444444444444]
 */
export const diceLoss = defineLoss({
  name: 'diceLoss',
  options: spec,
  prepare,
  value: (c) => reduceRows('diceLoss', c.reduction, c.rows, (r) => rowSums(c, r)[LOSS]!),
  // With D = (2I + s)/(U + s) = 1 - ℓ: d/dp_j [1 - D] = -[2 y_j (U + s) - (2I + s)] / (U + s)^2
  //   = (D - 2 y_j) / (U + s) = [(1 - y_j) D - y_j (1 + ℓ)] / (U + s),
  // the last form adding no terms of opposite signs for a hard y_j (D and 1 + ℓ each accurate).
  grad(c, out) {
    const scale = gradScale('diceLoss', c.reduction, c.rows);
    for (let r = 0; r < c.rows; r++) {
      const o = r * c.cols;
      const sums = rowSums(c, r);
      const l = sums[LOSS]!;
      const dice = sums[DICE]!;
      const den = sums[DEN]!;
      for (let j = o; j < o + c.cols; j++) {
        const y = c.y[j]!;
        const g = (scale * ((1 - y) * dice - y * (1 + l))) / den;
        if (g - g !== 0) overflow('diceLoss', `the gradient at input[${j}] (1 / (sum + smooth) overflows)`, g);
        out[j] = g;
      }
    }
  },
  writesEveryElement: true,
});

type Prepared = ReturnType<typeof prepare>;

const LOSS = 0;
const DICE = 1;
const DEN = 2;
const SUMS = new Float64Array(3);

/**
 * Row r's loss ℓ = E / (U + s), Dice coefficient D = (2I + s) / (U + s) and U + s, with
 * I = Σ y p, U = Σ y + Σ p and E = U - 2I = Σ [y (1 - p) + p (1 - y)] summed as it stands: every
 * term is >= 0, so a near-perfect prediction's small loss keeps its digits (1 - D would lose
 * them). Each sum is compensated (Neumaier), so long rows stay accurate.
 */
function rowSums(c: Prepared, r: number): Float64Array {
  const { p, y, cols, smooth } = c;
  let inter = 0;
  let interErr = 0;
  let union = 0;
  let unionErr = 0;
  let miss = 0;
  let missErr = 0;
  for (let j = r * cols; j < (r + 1) * cols; j++) {
    const pj = p[j]!;
    const yj = y[j]!;
    const a = yj * pj;
    const u = yj + pj;
    const m = yj * (1 - pj) + pj * (1 - yj);
    let t = inter + a;
    interErr += inter >= a ? inter - t + a : a - t + inter;
    inter = t;
    t = union + u;
    unionErr += union >= u ? union - t + u : u - t + union;
    union = t;
    t = miss + m;
    missErr += miss >= m ? miss - t + m : m - t + miss;
    miss = t;
  }
  const den = union + unionErr + smooth;
  SUMS[LOSS] = (miss + missErr) / den;
  SUMS[DICE] = (2 * (inter + interErr) + smooth) / den;
  SUMS[DEN] = den;
  return SUMS;
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
function assertNoEmptyPair(fn: string, c: Prepared): void {
  for (let r = 0; r < c.rows; r++) {
    if (rowSums(c, r)[DEN] === 0) {
      fail(fn, 'options.smooth', `> 0 when input and target row ${r} are both all zero (Dice is 0/0)`, '0');
    }
  }
}
