import { reduction } from '../options';
import { elementwiseLoss, kernel } from './elementwise';
import { readHingeInput, sampleMeans } from './hinge';

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
 * - Computed as hinge is (elementwise, compensated sums; a mean whose sum overflows is returned).
 * - Keras: `keras.losses.SquaredHinge()` / `keras.losses.squared_hinge`.
 *
 * @example
 * squaredHinge([0.3, -0.8, 2], [1, -1, 1]) // 0.17666666666666664
 * squaredHinge.grad([0.5, 2], [1, 1]) // [-0.5, 0]
 */
export const squaredHinge = elementwiseLoss({
  name: 'squaredHinge',
  options: spec,
  // d/dx max(0, 1 - y x)^2 = -2 y max(0, 1 - y x)
  kernel: kernel({
    term(x, y) {
      const z = 1 - y * x;
      return z > 0 ? z * z : 0;
    },
    slope(x, y, _a, _b, c) {
      const z = 1 - y * x;
      return z > 0 ? -2 * c * y * z : 0;
    },
  }),
  prepare: (input, target, o) => readHingeInput('squaredHinge', input, target, o.reduction),
  items: sampleMeans,
});
