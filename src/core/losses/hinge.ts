import { fail } from '../errors';
import { reduction, type Parsed } from '../options';
import { gradScale, reduce } from '../reduce';
import { assertSameShape, toFlat, toRows } from '../tensor/flatten';
import type { Values } from '../tensor/types';
import { defineLoss, type ReductionOptions } from './defineLoss';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
};

/**
 * Hinge loss (힌지 손실), as Keras: the margin violation $\max(0, 1 - y x)$ averaged over the
 * last axis per sample, with labels $y \in \{-1, 1\}$:
 *
 * $$\ell_i = \frac{1}{C}\sum_{j=1}^{C} \max(0,\ 1 - y_{ij}\,x_{ij})$$
 *
 * - Labels: `target` values must be -1 or 1; a target whose values are all 0 or 1 is read as
 *   $2y - 1$ (Keras's conversion). A target mixing -1 and 0 is ambiguous and throws.
 * - `reduction` over samples: `'mean'` (default) $\frac1N\sum\ell_i$, `'sum'` $\sum\ell_i$,
 *   `'none'` the per-sample $\ell_i$.
 * - Shapes: input (scores) `[N, C]`, or `[C]` for one sample (so `'none'` gives one value);
 *   `target` the same shape. For N scalar scores use `[N, 1]`.
 * - Gradient: $\partial\ell_i/\partial x_{ij} = -y_{ij}/C$ where $1 - y_{ij}x_{ij} > 0$, else 0,
 *   including at the kink $y x = 1$ (PyTorch / TensorFlow autograd's $\max(0, z)'$ at 0);
 *   over $N$ for `'mean'`.
 * - Keras: `keras.losses.Hinge()` / `keras.losses.hinge`; PyTorch has no direct equivalent
 *   (`F.multi_margin_loss` is the multi-class form).
 *
 * @example
 * hinge([0.3, -0.8, 2], [1, -1, 1]) // 0.3
 * hinge.grad([[0.3, -0.8], [2, 0.5]], [[1, 0], [1, 0]]) // [[-0.25, 0.25], [0, 0.25]]
 */
export const hinge = defineLoss<Values, typeof spec, HingeInput>({
  name: 'hinge',
  options: spec,
  prepare: (input, target, options) => readHingeInput('hinge', input, target, options),
  value({ x, y, rows, cols, reduction }) {
    const items = reduction === 'none' ? new Float64Array(rows) : null;
    let total = 0;
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let j = r * cols; j < (r + 1) * cols; j++) s += Math.max(0, 1 - y[j]! * x[j]!);
      total += s / cols;
      if (items) items[r] = s / cols;
    }
    return reduce('hinge', reduction, total, rows, items);
  },
  // d/dx max(0, 1 - y x) = -y where 1 - y x > 0, else 0 (0 at the kink)
  grad({ x, y, rows, cols, size, reduction }, out) {
    const s = gradScale('hinge', reduction, rows) / cols;
    for (let i = 0; i < size; i++) out[i] = 1 - y[i]! * x[i]! > 0 ? -s * y[i]! : 0;
  },
});

/** A margin loss's scores and ±1 labels, row-major, with its batch shape. */
export interface HingeInput {
  readonly x: ArrayLike<number>;
  /** The labels in {-1, 1}, after Keras's 0/1 conversion. */
  readonly y: Float64Array;
  readonly rows: number;
  readonly cols: number;
  readonly size: number;
  readonly reduction: 'mean' | 'sum' | 'none';
}

/** Reads scores and labels for hinge and squaredHinge (see hinge for the label rule). */
export function readHingeInput(fn: string, input: Values, target: Values, { reduction }: { reduction: HingeInput['reduction'] }): HingeInput {
  const a = toRows(fn, 'input', input);
  const b = toFlat(fn, 'target', target);
  assertSameShape(fn, a, 'input', b, 'target');
  return { x: a.data, y: plusMinusLabels(fn, b.data), rows: a.rows, cols: a.cols, size: a.data.length, reduction };
}

/** Keras's rule: labels in {0, 1} throughout become 2y - 1; otherwise each must be -1 or 1. */
function plusMinusLabels(fn: string, t: ArrayLike<number>): Float64Array {
  let zeroOne = true;
  for (let i = 0; i < t.length; i++) {
    const v = t[i]!;
    if (v !== -1 && v !== 0 && v !== 1) fail(fn, `target[${i}]`, 'a label -1 or 1 (or all labels 0 or 1)', String(v));
    if (v === -1) zeroOne = false;
  }
  const y = new Float64Array(t.length);
  for (let i = 0; i < t.length; i++) {
    const v = t[i]!;
    if (!zeroOne && v === 0) fail(fn, `target[${i}]`, 'a label -1 or 1, since other labels are -1', '0');
    y[i] = zeroOne ? 2 * v - 1 : v;
  }
  return y;
}
