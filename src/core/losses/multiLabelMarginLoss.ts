import { describe, fail } from '../errors';
import { compensated, twoSumError } from '../math/twoSum';
import { reduction, type OptionsOf, type Parsed } from '../options';
import { assertSameShape, toFlat, toRows } from '../tensor/flatten';
import type { FloatArray, Values } from '../tensor/types';
import { defineLoss } from './defineLoss';
import { reduceRows } from './reduceRows';
import { marginGap } from './multiMarginLoss';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type MultiLabelMarginLossOptions = OptionsOf<typeof spec>;

/**
 * Multi-label margin loss: every target class's score should exceed every non-target class's by
 * 1. Row $i$ of `target` lists the sample's classes, padded with -1: the classes before its first
 * -1 form the list $Y_i$ (the rest of the row is ignored), and with $C$ classes
 *
 * $$\ell_i = \frac1C\sum_{j \in Y_i}\ \sum_{d \notin Y_i} \max(0,\ 1 - x_{ij} + x_{id})$$
 *
 * (a class listed twice counts twice, as in PyTorch; an empty list, or one naming every class, gives 0).
 *
 * - `reduction`: `'mean'` (default) $\frac1N\sum\ell_i$, `'sum'`, `'none'` the per-sample $\ell_i$.
 * - Shapes: input `[N, C]` scores with target `[N, C]`, or `[C]` with `[C]` for one sample; target
 *   entries integers in $[-1, C)$ (after the first -1 too, as PyTorch checks).
 * - Gradient: each violated pair ($1 - x_{ij} + x_{id} > 0$; 0 at the kink, as PyTorch) adds $1/C$ at
 *   $d$ and $-1/C$ at $j$; over $N$ for `'mean'`.
 * - Accuracy: each violation $1 - x_{ij} + x_{id}$ keeps the rounding errors of its additions
 *   (see multiMarginLoss's marginGap), and the sums are compensated.
 * - PyTorch: `F.multilabel_margin_loss(input, target)` (aten/src/ATen/native/LossMultiLabelMargin.cpp).
 *
 * @example
 * multiLabelMarginLoss([[0.1, 0.2, 0.4, 0.8]], [[3, 0, -1, 1]]) // 0.85
 * multiLabelMarginLoss.grad([0.1, 0.2, 0.4, 0.8], [3, -1, 0, 0]) // [0.25, 0.25, 0.25, -0.75]
 */
export const multiLabelMarginLoss = defineLoss<Values, typeof spec, Prepared>({
  name: 'multiLabelMarginLoss',
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
  const fn = 'multiLabelMarginLoss';
  const listed = new Uint8Array(c.cols);
  const counts = new Float64Array(c.cols);
  return reduceRows(fn, c.reduction, c.rows, (r, scale) => {
    const loss = labelRow(c, r, out, scale, listed, counts);
    return loss;
  });
}

/**
 * Row r: the sum over listed j and unlisted d of the violations 1 - x_j + x_d > 0, over C; with
 * `out`, counts[k] = (pairs violated with k unlisted) - (pairs violated with k listed), an exact
 * integer, times scale / C.
 */
function labelRow(c: Prepared, r: number, out: FloatArray | null, scale: number, listed: Uint8Array, counts: Float64Array): number {
  const { x, y, cols } = c;
  const o = r * cols;
  let n = 0;
  while (n < cols && y[o + n]! >= 0) n++;
  listed.fill(0);
  counts.fill(0);
  for (let i = 0; i < n; i++) listed[y[o + i]!] = 1;
  let sum = 0;
  let sumError = 0;
  for (let i = 0; i < n; i++) {
    const j = y[o + i]!;
    const xj = x[o + j]!;
    for (let d = 0; d < cols; d++) {
      if (listed[d]) continue;
      const z = marginGap(1, xj, x[o + d]!);
      if (!(z > 0)) continue;
      const s = sum + z;
      sumError += twoSumError(sum, z, s);
      sum = s;
      counts[d]!++;
      counts[j]!--;
    }
  }
  if (out) for (let d = 0; d < cols; d++) out[o + d] = (counts[d]! * scale) / cols;
  return compensated(sum, sumError) / cols;
}

function prepare(input: Values, target: Values, o: Parsed<typeof spec>) {
  const fn = 'multiLabelMarginLoss';
  const rows = toRows(fn, 'input', input);
  const t = toFlat(fn, 'target', target);
  assertSameShape(fn, rows, 'input', t, 'target');
  const y = new Int32Array(t.data.length);
  for (let i = 0; i < y.length; i++) {
    const v = t.data[i]!;
    if (!Number.isInteger(v) || v < -1 || v >= rows.cols) fail(fn, `target[${i}]`, `a class index in [0, ${rows.cols}) or -1 (ending the row's list)`, describe(v));
    y[i] = v;
  }
  return { x: rows.data, y, rows: rows.rows, cols: rows.cols, size: rows.data.length, reduction: o.reduction };
}
