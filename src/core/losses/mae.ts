import { parseOptions, reduction } from '../options';
import { gradScale, reduce } from '../reduce';
import type { Values } from '../tensor/types';
import { defineLoss, type ReductionOptions } from './defineLoss';
import { readPair } from './pair';

const spec = { reduction: reduction() };

/**
 * Mean absolute error (평균 절대 오차, L1 loss), elementwise over any shape.
 *
 * $$\ell_i = |x_i - y_i|, \qquad \mathrm{mae} = \frac{1}{n}\sum_{i=1}^{n} \ell_i$$
 *
 * - `reduction`: `'mean'` (default) $\frac1n\sum\ell_i$, `'sum'` $\sum\ell_i$, `'none'` the $\ell_i$.
 * - Shapes: `input` and `target` any equal shape.
 * - Gradient: $\partial/\partial x_i = \operatorname{sign}(x_i - y_i)/n$ (without the $1/n$ for
 *   `'sum'` / `'none'`), and $0$ where $x_i = y_i$, as PyTorch's `sign(0) = 0`.
 * - PyTorch: `F.l1_loss(input, target)`; Keras: `MeanAbsoluteError`.
 *
 * @example
 * mae([1, 3, 5, 6, 7], [3, 2, 7, 5, 8]) // 1.4
 * mae.grad([1, 2, 3], [0, 2, 5]) // [0.3333333333333333, 0, -0.3333333333333333]
 */
export const mae = defineLoss<Values, ReductionOptions, ReturnType<typeof prepare>>({
  name: 'mae',
  prepare,
  value({ x, y, size, reduction }) {
    const items = reduction === 'none' ? new Float64Array(size) : null;
    let total = 0;
    for (let i = 0; i < size; i++) {
      const a = Math.abs(x[i]! - y[i]!);
      total += a;
      if (items) items[i] = a;
    }
    return reduce('mae', reduction, total, size, items);
  },
  // d/dx |x - y| = sign(x - y), taken as 0 at x = y (the subgradient PyTorch uses)
  grad({ x, y, size, reduction }, out) {
    const s = gradScale('mae', reduction, size);
    for (let i = 0; i < size; i++) {
      const d = x[i]! - y[i]!;
      out[i] = d > 0 ? s : d < 0 ? -s : 0;
    }
  },
});

function prepare(input: Values, target: Values, options: unknown) {
  return { ...parseOptions('mae', options, spec), ...readPair('mae', input, target) };
}
