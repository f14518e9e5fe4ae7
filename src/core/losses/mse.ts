import { reduction } from '../options';
import { elementwiseLoss, kernel, readElements } from './elementwise';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
};

/** (x - y)² and its derivative 2 (x - y): mse's kernel, shared by rmse. */
export const squaredError = kernel({
  term: (x, y) => (x - y) * (x - y),
  slope: (x, y, _a, _b, c) => 2 * c * (x - y),
  wasm: 'mseF32',
});

/**
 * Mean squared error (평균 제곱 오차), elementwise over any shape.
 *
 * $$\ell_i = (x_i - y_i)^2, \qquad \mathrm{mse} = \frac{1}{n}\sum_{i=1}^{n} \ell_i$$
 *
 * - `reduction`: `'mean'` (default) $\frac1n\sum\ell_i$, `'sum'` $\sum\ell_i$, `'none'` the $\ell_i$.
 * - Shapes: `input` and `target` any equal shape.
 * - Gradient: $\partial/\partial x_i = 2(x_i - y_i)/n$ (without the $1/n$ for `'sum'` / `'none'`).
 * - Accuracy: each $\ell_i$ within a few ulps; the sum compensated (see elementwise.ts), within about
 *   an ulp of the exact sum of the $\ell_i$ for float64 arguments (1e-15 for float32 ones).
 * - Range: a mean whose sum overflows is still returned (`mse([1.3e154, 1.3e154], [0, 0])` is
 *   1.69e308); a loss beyond float64 (`mse([1e200], [-1e200])`) throws, while its gradient is returned.
 * - PyTorch: `F.mse_loss(input, target)`; Keras: `MeanSquaredError`.
 *
 * @example
 * mse([1, 3, 5, 6, 7], [3, 2, 7, 5, 8]) // 2.2
 * mse.grad([1, 2], [0, 0]) // [1, 2]
 */
export const mse = elementwiseLoss({
  name: 'mse',
  options: spec,
  kernel: squaredError,
  prepare: (input, target, o) => readElements('mse', input, target, o.reduction),
});
