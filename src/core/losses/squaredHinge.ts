import { gradScale, reduce } from '../reduce';
import type { Values } from '../tensor/types';
import { defineLoss } from './defineLoss';
import { readHingeInput, type HingeInput } from './hinge';
import { reduction } from '../options';

const spec = {
  /** How the per-sample losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
};

/**
 * Squared hinge loss, as Keras: hinge with each margin violation squared (see hinge for the
 * labels, shapes and reductions).
 *
 * $$\ell_i = \frac{1}{C}\sum_{j=1}^{C} \max(0,\ 1 - y_{ij}\,x_{ij})^2$$
 *
 * - Labels: -1 or 1, or all 0 / 1 (read as $2y - 1$), as hinge.
 * - `reduction` over samples: `'mean'` (default), `'sum'`, `'none'` (per-sample $\ell_i$).
 * - Shapes: input `[N, C]` or `[C]` (one sample); `target` the same shape.
 * - Gradient: $\partial\ell_i/\partial x_{ij} = -2y_{ij}\max(0, 1 - y_{ij}x_{ij})/C$, over $N$ for
 *   `'mean'`; continuous, 0 at the kink.
 * - Keras: `keras.losses.SquaredHinge()` / `keras.losses.squared_hinge`.
 *
 * @example
 * squaredHinge([0.3, -0.8, 2], [1, -1, 1]) // 0.17666666666666664
 * squaredHinge.grad([0.5, 2], [1, 1]) // [-0.5, 0]
 */
export const squaredHinge = defineLoss<Values, typeof spec, HingeInput>({
  name: 'squaredHinge',
  options: spec,
  prepare: (input, target, options) => readHingeInput('squaredHinge', input, target, options),
  value({ x, y, rows, cols, reduction }) {
    const items = reduction === 'none' ? new Float64Array(rows) : null;
    let total = 0;
    for (let r = 0; r < rows; r++) {
      let s = 0;
      for (let j = r * cols; j < (r + 1) * cols; j++) s += Math.max(0, 1 - y[j]! * x[j]!) ** 2;
      total += s / cols;
      if (items) items[r] = s / cols;
    }
    return reduce('squaredHinge', reduction, total, rows, items);
  },
  // d/dx max(0, 1 - y x)^2 = -2 y max(0, 1 - y x)
  grad({ x, y, rows, cols, size, reduction }, out) {
    const s = (2 * gradScale('squaredHinge', reduction, rows)) / cols;
    for (let i = 0; i < size; i++) {
      const z = 1 - y[i]! * x[i]!;
      out[i] = z > 0 ? -s * y[i]! * z : 0;
    }
  },
});
