import { flag, reduction, type OptionsOf } from '../options';
import { elementwiseLoss, kernel, readElements } from './elementwise';

const spec = {
  /** Only `'sum'` (the default) or `'none'`: the mean of squared errors is mse. */
  reduction: reduction(['sum', 'none']),
  /** Multiply by 1/2, so the gradient is plain x - y (default false). */
  half: flag(false),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type SseOptions = OptionsOf<typeof spec>;

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
 * - Accuracy and range: as mse (see there); a sum beyond float64 throws.
 * - PyTorch: `F.mse_loss(input, target, reduction='sum')` (times 0.5 for `half`).
 *
 * @example
 * sse([1, 3, 5, 6, 7], [3, 2, 7, 5, 8]) // 11
 * sse([1, 3, 5, 6, 7], [3, 2, 7, 5, 8], { half: true }) // 5.5
 * sse.grad([1, 2], [0, 0], { half: true }) // [1, 2]
 */
export const sse = elementwiseLoss({
  name: 'sse',
  options: spec,
  // a = c; d/dx c (x - y)^2 = 2c (x - y); 'sum' and 'none' both take the gradient of the sum
  kernel: kernel({
    term: (x, y, a) => a * (x - y) * (x - y),
    slope: (x, y, a, _b, c) => 2 * a * c * (x - y),
  }),
  prepare: (input, target, o) => readElements('sse', input, target, o.reduction, o.half ? 0.5 : 1),
});
