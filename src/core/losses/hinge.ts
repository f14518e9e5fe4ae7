import { fail } from '../errors';
import { reduction } from '../options';
import { assertSameShape, toFlat, toRows } from '../tensor/flatten';
import type { Reduction, Values } from '../tensor/types';
import { elements, elementwiseLoss, kernel, type Elements } from './elementwise';

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
 * - Computed as the elementwise loss $\max(0, 1 - yx)$ (see elementwise.ts): compensated sums,
 *   and a mean returned even where the row sums overflow (`hinge([[-1.7e308, -1.7e308]], [[1, 1]])`
 *   is 1.7e308); per-sample values for `'none'` weight each element by $1/C$.
 * - Keras: `keras.losses.Hinge()` / `keras.losses.hinge`; PyTorch has no direct equivalent
 *   (`F.multi_margin_loss` is the multi-class form).
 *
 * @example
 * hinge([0.3, -0.8, 2], [1, -1, 1]) // 0.3
 * hinge.grad([[0.3, -0.8], [2, 0.5]], [[1, 0], [1, 0]]) // [[-0.25, 0.25], [0, 0.25]]
 */
export const hinge = elementwiseLoss({
  name: 'hinge',
  options: spec,
  // d/dx max(0, 1 - y x) = -y where 1 - y x > 0, else 0 (0 at the kink); 1 - y x is exact but
  // for one rounding, since y = ±1
  kernel: kernel({
    term(x, y) {
      const z = 1 - y * x;
      return z > 0 ? z : 0;
    },
    slope: (x, y, _a, _b, c) => (1 - y * x > 0 ? -c * y : 0),
  }),
  prepare: (input, target, o) => readHingeInput('hinge', input, target, o.reduction),
  items: sampleMeans,
});

/**
 * Reads scores and labels for hinge and squaredHinge (see hinge for the label rule). The per-
 * sample mean over the last axis makes an elementwise mean: `'mean'` divides the sum of all
 * elements by N·C, `'sum'` (Σ over samples of their means) by C, and `'none'` weights each
 * element by 1/C, then sums each sample's (sampleMeans, which finds C in `count`).
 */
export function readHingeInput(fn: string, input: Values, target: Values, reduction: Reduction): Elements {
  const a = toRows(fn, 'input', input);
  const b = toFlat(fn, 'target', target);
  assertSameShape(fn, a, 'input', b, 'target');
  const cols = a.cols;
  const y = plusMinusLabels(fn, b.data);
  if (reduction === 'none') return elements(a.data, y, null, 1 / cols, null, 0, 0, 'none', cols);
  return elements(a.data, y, null, 1, null, 0, 0, 'mean', reduction === 'sum' ? cols : a.data.length);
}

/** Each sample's sum of its C elements' values (already weighted 1/C), compensated; C is `count` for 'none'. */
export function sampleMeans(c: Elements, items: Float64Array): Float64Array {
  const cols = c.count;
  const means = new Float64Array(c.size / cols);
  for (let r = 0; r < means.length; r++) {
    let sum = 0;
    let err = 0;
    for (let j = r * cols; j < (r + 1) * cols; j++) {
      const v = items[j]!;
      const t = sum + v;
      const bb = t - sum;
      err += sum - (t - bb) + (v - bb);
      sum = t;
    }
    means[r] = sum + err;
  }
  return means;
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
