import { flag, reduction, type OptionsOf, type Parsed } from '../options';
import { gradScale, reduce } from '../reduce';
import { toClassIndices } from '../tensor/classIndices';
import { toRows } from '../tensor/flatten';
import type { ClassIndices, FloatArray, Values } from '../tensor/types';
import { assertProbabilityRows, categoricalPass, type CategoricalBatch } from './categoricalKernel';
import { defineLoss } from './defineLoss';
import { hardRows } from './softmaxRows';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** The input holds logits rather than probabilities (default false). */
  fromLogits: flag(false),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type SparseCategoricalCrossEntropyOptions = OptionsOf<typeof spec>;

/**
 * categoricalCrossEntropy with integer class targets: the target is the one-hot row of $y_i$,
 * so $\ell_i = -\log\operatorname{clip}(p_{i y_i} / \sum_k p_{ik}, 10^{-7}, 1 - 10^{-7})$
 * on probabilities and $\ell_i = -\log\mathrm{softmax}(x_i)_{y_i}$ with `fromLogits`.
 *
 * - `reduction`: `'mean'` (default) over samples, `'sum'`, `'none'` the per-sample $\ell_i$.
 * - Options: `fromLogits` (default false). No `labelSmoothing`, as Keras's sparse loss has none.
 * - Shapes: `input` `[N, C]`, or `[C]` for one sample; `target` `[N]` integer classes in `[0, C)`
 *   (a bare number for one sample).
 * - Gradient: see categoricalCrossEntropy with $t$ one-hot: $\mathrm{softmax}(x) - \mathrm{onehot}(y)$ from logits.
 *   From logits this is crossEntropy's class-index path (the same bits as `crossEntropy`); stable
 *   forms as there and, on probabilities, as categoricalCrossEntropy.
 * - Keras: `SparseCategoricalCrossentropy(from_logits)`; PyTorch (logits only): `F.cross_entropy`.
 *
 * @example
 * sparseCategoricalCrossEntropy([[0.3, 0.1, 0.6], [0.3, 0.5, 0.2], [0.4, 0.1, 0.5]], [0, 1, 2]) // 0.8634223884819422
 * sparseCategoricalCrossEntropy.grad([0, 0], 1, { fromLogits: true }) // [0.5, -0.5]
 */
export const sparseCategoricalCrossEntropy = defineLoss<ClassIndices, typeof spec, Prepared>({
  name: 'sparseCategoricalCrossEntropy',
  options: spec,
  prepare,
  value: (c) => pass(c, null),
  grad(c, out) {
    pass(c, out);
  },
  valueAndGrad: (c, out) => pass(c, out),
  writesEveryElement: true,
});

type Prepared = CategoricalBatch & { readonly labels: Int32Array; readonly ignoreIndex: number };

/** From logits, crossEntropy's class-index rows (hardRows: the same bits); else Keras's probability rows. */
function pass(c: Prepared, out: FloatArray | null): number | Float64Array {
  const fn = 'sparseCategoricalCrossEntropy';
  if (!c.fromLogits) return categoricalPass(fn, c, out);
  const items = c.reduction === 'none' ? new Float64Array(c.rows) : null;
  const total = hardRows(fn, c, out, gradScale(fn, c.reduction, c.rows), items);
  return reduce(fn, c.reduction, total, c.rows, items);
}

function prepare(input: Values, target: ClassIndices, o: Parsed<typeof spec>): Prepared {
  const fn = 'sparseCategoricalCrossEntropy';
  // from logits the row kernel finds a NaN or ±Infinity in its own pass
  const rows = toRows(fn, 'input', input, { deferScan: o.fromLogits });
  const labels = toClassIndices(fn, 'target', target, rows.rows, rows.cols);
  let t: Float64Array = new Float64Array(0);
  if (!o.fromLogits) {
    assertProbabilityRows(fn, rows);
    t = new Float64Array(rows.data.length);
    for (let r = 0; r < rows.rows; r++) t[r * rows.cols + labels[r]!] = 1;
  }
  // labels are >= 0, so ignoreIndex -1 ignores nothing
  return { x: rows.data, t, labels, ignoreIndex: -1, rows: rows.rows, cols: rows.cols, size: rows.data.length, fromLogits: o.fromLogits, reduction: o.reduction };
}
