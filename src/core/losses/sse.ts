import { flag, reduction, type Parsed } from '../options';
import { reduce } from '../reduce';
import type { Values } from '../tensor/types';
import { defineLoss, type ReductionOptions } from './defineLoss';
import { readPair } from './pair';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(['sum', 'none']),
  half: flag(false),
};

export interface SseOptions extends ReductionOptions<'sum' | 'none'> {
  /** Multiply by 1/2, so the gradient is plain x - y (default false). */
  half?: boolean;
}

/**
 * Sum of squared errors (오차 제곱합), elementwise over any shape; with `half`, the
 * $\frac12\sum$ form some texts call "MSE" (it is $n/2$ times mse, see mse).
 *
 * $$\ell_i = c\,(x_i - y_i)^2, \qquad \mathrm{sse} = \sum_{i=1}^{n} \ell_i, \qquad c = \tfrac12 \text{ with `half`, else } 1$$
 *
 * - `reduction`: `'sum'` (default) $\sum\ell_i$, or `'none'` the $\ell_i$. There is no `'mean'`:
 *   the mean of squared errors is mse.
 * - `half`: `false` (default); `true` gives $\frac12\sum(x_i - y_i)^2$.
 * - Shapes: `input` and `target` any equal shape.
 * - Gradient: $\partial/\partial x_i = 2c\,(x_i - y_i)$: $2(x_i - y_i)$, or $x_i - y_i$ with `half`.
 * - PyTorch: `F.mse_loss(input, target, reduction='sum')` (times 0.5 for `half`).
 *
 * @example
 * sse([1, 3, 5, 6, 7], [3, 2, 7, 5, 8]) // 11
 * sse([1, 3, 5, 6, 7], [3, 2, 7, 5, 8], { half: true }) // 5.5
 * sse.grad([1, 2], [0, 0], { half: true }) // [1, 2]
 */
export const sse = defineLoss<Values, typeof spec, ReturnType<typeof prepare>>({
  name: 'sse',
  options: spec,
  prepare,
  value({ x, y, size, reduction, half }) {
    const c = half ? 0.5 : 1;
    const items = reduction === 'none' ? new Float64Array(size) : null;
    let total = 0;
    for (let i = 0; i < size; i++) {
      const d = x[i]! - y[i]!;
      total += c * d * d;
      if (items) items[i] = c * d * d;
    }
    return reduce('sse', reduction, total, size, items);
  },
  // d/dx c (x - y)^2 = 2c (x - y); 'sum' and 'none' both take the gradient of the sum
  grad({ x, y, size, half }, out) {
    const s = half ? 1 : 2;
    for (let i = 0; i < size; i++) out[i] = s * (x[i]! - y[i]!);
  },
});

function prepare(input: Values, target: Values, o: Parsed<typeof spec>) {
  return { ...o, ...readPair('sse', input, target) };
}
