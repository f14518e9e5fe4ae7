import { fail, overflow } from '../errors';
import { compensated, twoSumError } from '../math/twoSum';
import { numberOption, reduction, type OptionsOf, type Parsed } from '../options';
import { assertSameShape, toFlat, toRows } from '../tensor/flatten';
import { assertProbabilities } from '../tensor/probabilities';
import type { FloatArray, Values } from '../tensor/types';
import { defineLoss } from './defineLoss';
import { reduceRows } from './reduceRows';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** α >= 0, the weight of the false positives Σ (1 - y) p (default 0.5). */
  alpha: numberOption(0.5, { min: 0 }),
  /** β >= 0, the weight of the false negatives Σ y (1 - p) (default 0.5). */
  beta: numberOption(0.5, { min: 0 }),
  /** s >= 0, added to the Tversky index's numerator and denominator (default 0.5: diceLoss's default 1 halved, see above). */
  smooth: numberOption(0.5, { min: 0 }),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type TverskyOptions = OptionsOf<typeof spec>;

/**
 * Tversky loss (Salehi et al. 2017) for segmentation: one minus the Tversky index, a Dice
 * coefficient that weighs false positives by α and false negatives by β. Per sample, with the
 * predicted mask $p$ (`input`) and the true mask $y$ (`target`), $TP = \sum_j y_{ij}p_{ij}$,
 * $FP = \sum_j (1 - y_{ij})p_{ij}$, $FN = \sum_j y_{ij}(1 - p_{ij})$:
 *
 * $$\ell_i = 1 - \frac{TP + s}{TP + \alpha\,FP + \beta\,FN + s} = \frac{\alpha\,FP + \beta\,FN}{TP + \alpha\,FP + \beta\,FN + s}$$
 *
 * - Samples: each row of a `[N, D]` input is one mask (flattened); a `[D]` input is one sample.
 * - `reduction` over samples: `'mean'` (default) $\frac1N\sum\ell_i$, `'sum'`, `'none'` the $\ell_i$.
 * - Options: `alpha` (default 0.5), `beta` (default 0.5), `smooth` $s$ (default 0.5), each >= 0.
 *   At α = β = 1/2 the index is $(2TP + 2s)/(\sum y + \sum p + 2s)$, diceLoss with `smooth` $2s$: so
 *   the default 0.5 makes `tversky(p, y)` equal `diceLoss(p, y)` (whose default is 1), and in
 *   general `tversky(p, y, { smooth: s })` is `diceLoss(p, y, { smooth: 2 * s })`. α = β = 1 gives the
 *   Jaccard (IoU) loss. With $s = 0$ a row whose denominator is 0 (for α, β > 0: input and target both
 *   all zero) is 0/0 and throws.
 * - Shapes: input `[N, D]` or `[D]`, probabilities in [0, 1]; `target` the same shape, in [0, 1].
 * - Gradient: with $D_i$ the denominator and $T_i = 1 - \ell_i$,
 *   $\partial\ell_i/\partial p_{ij} = \big[\alpha(1 - y_{ij})T_i - y_{ij}(\ell_i + \beta T_i)\big]/D_i$, over $N$ for `'mean'`
 *   (no terms of opposite signs for a hard $y$; a gradient beyond float64, from a denormal `smooth`, throws).
 * - Accuracy: $\ell_i$ is the quotient of the sums of non-negative terms above, never $1 - T_i$, so a
 *   near-perfect mask keeps its small loss's digits; the sums are compensated.
 * - Keras: `keras.losses.Tversky(alpha=0.5, beta=0.5)` (keras/src/losses/losses.py, `tversky`:
 *   `1 - TP / (TP + alpha FP + beta FN + epsilon)`, `epsilon = 1e-7`) is this loss at `smooth: 0` but for
 *   that 1e-7 in the denominator only (a relative change below $10^{-7}/D_i$), over the whole batch as one
 *   sample (its default `axis=None`; a `[D]` input here).
 *
 * @example
 * tversky([0.9, 0.8, 0.1, 0.2], [1, 1, 0, 0]) // 0.12
 * tversky([0.9, 0.8, 0.1, 0.2], [1, 1, 0, 0], { alpha: 0.3, beta: 0.7, smooth: 0 }) // 0.14999999999999997
 * tversky.grad([1, 0], [1, 1], { smooth: 0 }) // [-0.4444444444444444, -0.4444444444444444]
 */
export const tversky = defineLoss<Values, typeof spec, Prepared>({
  name: 'tversky',
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

/** Row r's TP, αFP + βFN and denominator TP + αFP + βFN + s (sums of terms >= 0, compensated). */
function rowSums(c: Prepared, r: number, sums: Float64Array): void {
  const { p, y, cols } = c;
  let tp = 0;
  let tpError = 0;
  let fp = 0;
  let fpError = 0;
  let fn = 0;
  let fnError = 0;
  for (let j = r * cols; j < (r + 1) * cols; j++) {
    const pj = p[j]!;
    const yj = y[j]!;
    const a = yj * pj;
    const b = (1 - yj) * pj;
    const d = yj * (1 - pj);
    let t = tp + a;
    tpError += twoSumError(tp, a, t);
    tp = t;
    t = fp + b;
    fpError += twoSumError(fp, b, t);
    fp = t;
    t = fn + d;
    fnError += twoSumError(fn, d, t);
    fn = t;
  }
  const TP = compensated(tp, tpError);
  const E = c.alpha * compensated(fp, fpError) + c.beta * compensated(fn, fnError);
  sums[0] = TP;
  sums[1] = E;
  sums[2] = TP + E + c.smooth;
}

/** One pass over the rows: the reduced loss, and with `out` the gradient written alongside. */
function pass(c: Prepared, out: FloatArray | null): number | Float64Array {
  const fn = 'tversky';
  const sums = new Float64Array(3);
  const { alpha, beta, cols } = c;
  return reduceRows(fn, c.reduction, c.rows, (r, scale) => {
    rowSums(c, r, sums);
    const den = sums[2]!;
    const loss = sums[1]! / den;
    const index = (sums[0]! + c.smooth) / den;
    if (out) {
      // d/dp_j: TP' = y_j, FP' = 1 - y_j, FN' = -y_j, so ∂ℓ/∂p_j = [α (1 - y_j) T - y_j (ℓ + β T)] / D
      for (let j = r * cols; j < (r + 1) * cols; j++) {
        const yj = c.y[j]!;
        const g = (scale * (alpha * (1 - yj) * index - yj * (loss + beta * index))) / den;
        if (g - g !== 0) overflow(fn, `the gradient at input[${j}] (1 / (TP + alpha FP + beta FN + smooth) overflows)`, g);
        out[j] = g + 0;
      }
    }
    return loss;
  });
}

function prepare(input: Values, target: Values, o: Parsed<typeof spec>) {
  const fn = 'tversky';
  const p = toRows(fn, 'input', input);
  const y = toFlat(fn, 'target', target);
  assertSameShape(fn, p, 'input', y, 'target');
  assertProbabilities(fn, 'input', p.data);
  assertProbabilities(fn, 'target', y.data);
  const c = { p: p.data, y: y.data, rows: p.rows, cols: p.cols, size: p.data.length, reduction: o.reduction, alpha: o.alpha, beta: o.beta, smooth: o.smooth };
  if (o.smooth === 0) {
    const sums = new Float64Array(3);
    for (let r = 0; r < c.rows; r++) {
      rowSums(c, r, sums);
      if (sums[2] === 0) fail(fn, 'options.smooth', `> 0 when row ${r}'s TP + alpha FP + beta FN is 0 (the Tversky index is 0/0)`, '0');
    }
  }
  return c;
}
