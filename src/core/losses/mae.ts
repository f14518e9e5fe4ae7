import { reduction } from '../options';
import { elementwiseLoss, kernel, readElements } from './elementwise';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
};

/**
 * Mean absolute error (평균 절대 오차, L1 loss), elementwise over any shape.
 *
 * $$\ell_i = |x_i - y_i|, \qquad \mathrm{mae} = \frac{1}{n}\sum_{i=1}^{n} \ell_i$$
 *
 * - `reduction`: `'mean'` (default) $\frac1n\sum\ell_i$, `'sum'` $\sum\ell_i$, `'none'` the $\ell_i$.
 * - Shapes: `input` and `target` any equal shape.
 * - Gradient: $\partial/\partial x_i = \operatorname{sign}(x_i - y_i)/n$ (without the $1/n$ for
 *   `'sum'` / `'none'`), and $0$ where $x_i = y_i$, as PyTorch's `sign(0) = 0`.
 * - Sums and range as mse: `mae([1e308, 1e308], [0, 0])` is 1e308; a difference beyond float64
 *   (`mae([1e308], [-1e308])`) throws, its gradient is returned.
 * - PyTorch: `F.l1_loss(input, target)`; Keras: `MeanAbsoluteError`.
 *
 * @example
 * mae([1, 3, 5, 6, 7], [3, 2, 7, 5, 8]) // 1.4
 * mae.grad([1, 2, 3], [0, 2, 5]) // [0.3333333333333333, 0, -0.3333333333333333]
 */
export const mae = elementwiseLoss({
  name: 'mae',
  options: spec,
  // d/dx |x - y| = sign(x - y), taken as 0 at x = y (the subgradient PyTorch uses)
  kernel: kernel({
    term: (x, y) => Math.abs(x - y),
    slope: (x, y, _a, _b, c) => (x > y ? c : x < y ? -c : 0),
    wasm: 'maeF32',
  }),
  prepare: (input, target, o) => readElements('mae', input, target, o.reduction),
});
