import { reduction, type OptionsOf } from '../options';
import { elementwiseLoss, kernel, readElements } from './elementwise';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type MapeOptions = OptionsOf<typeof spec>;

/** keras.backend.epsilon(): the floor of |y| in the denominator. */
const EPS = 1e-7;

/**
 * Mean absolute percentage error (평균 절대 백분율 오차): the absolute error as a percentage of
 * the target. Elementwise over any shape:
 *
 * $$\ell_i = 100\,\frac{|y_i - x_i|}{\max(|y_i|, \epsilon)}, \qquad \epsilon = 10^{-7}$$
 *
 * - `reduction`: `'mean'` (default) $\frac1n\sum\ell_i$, `'sum'` $\sum\ell_i$, `'none'` the $\ell_i$.
 * - Shapes: `input` and `target` any equal shape.
 * - Gradient: $\partial\ell_i/\partial x_i = 100\,\operatorname{sign}(x_i - y_i)/\max(|y_i|, \epsilon)$, over $n$
 *   for `'mean'`; 0 at $x_i = y_i$ (as autograd's sign).
 * - Keras: `keras.losses.mean_absolute_percentage_error` / `MeanAbsolutePercentageError` (mean over the
 *   last axis, then over samples: the same mean).
 *
 * @example
 * mape([1.5, 3], [2, 4]) // 25
 * mape.grad([1.5, 3], [2, 4]) // [-25, -12.5]
 */
export const mape = elementwiseLoss({
  name: 'mape',
  options: spec,
  // d/dx 100 |x - y| / m = 100 sign(x - y) / m, m = max(|y|, ε) (no x in it)
  kernel: kernel({
    term(x, y) {
      const m = y < 0 ? -y : y;
      // 100 (|x - y| / m): 100 |x - y| may overflow where the percentage does not
      return 100 * ((x > y ? x - y : y - x) / (m > EPS ? m : EPS));
    },
    slope(x, y, _a, _b, c) {
      const m = y < 0 ? -y : y;
      return (x > y ? 100 * c : x < y ? -100 * c : 0 * x) / (m > EPS ? m : EPS);
    },
  }),
  prepare: (input, target, o) => readElements('mape', input, target, o.reduction),
});
