import { parseOptions, reduction } from '../options';
import { gradScale, reduce } from '../reduce';
import type { Values } from '../tensor/types';
import { defineLoss, type ReductionOptions } from './defineLoss';
import { readPair } from './pair';

const spec = { reduction: reduction() };

/**
 * Mean squared error (평균 제곱 오차), elementwise over any shape.
 *
 * $$\ell_i = (x_i - y_i)^2, \qquad \mathrm{mse} = \frac{1}{n}\sum_{i=1}^{n} \ell_i$$
 *
 * - `reduction`: `'mean'` (default) $\frac1n\sum\ell_i$, `'sum'` $\sum\ell_i$, `'none'` the $\ell_i$.
 * - Shapes: `input` and `target` any equal shape.
 * - Gradient: $\partial/\partial x_i = 2(x_i - y_i)/n$ (without the $1/n$ for `'sum'` / `'none'`).
 * - PyTorch: `F.mse_loss(input, target)`; Keras: `MeanSquaredError`.
 *
 * @example
 * mse([1, 3, 5, 6, 7], [3, 2, 7, 5, 8]) // 2.2
 * mse.grad([1, 2], [0, 0]) // [1, 2]
 */
export const mse = defineLoss<Values, ReductionOptions, ReturnType<typeof prepare>>({
  name: 'mse',
  prepare,
  value({ x, y, size, reduction }) {
    const items = reduction === 'none' ? new Float64Array(size) : null;
    let total = 0;
    for (let i = 0; i < size; i++) {
      const d = x[i]! - y[i]!;
      total += d * d;
      if (items) items[i] = d * d;
    }
    return reduce('mse', reduction, total, size, items);
  },
  // d/dx (x - y)^2 = 2 (x - y)
  grad({ x, y, size, reduction }, out) {
    const s = 2 * gradScale('mse', reduction, size);
    for (let i = 0; i < size; i++) out[i] = s * (x[i]! - y[i]!);
  },
});

function prepare(input: Values, target: Values, options: unknown) {
  return { ...parseOptions('mse', options, spec), ...readPair('mse', input, target) };
}
