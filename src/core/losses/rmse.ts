import { describe, fail } from '../errors';
import { customOption, type Parsed } from '../options';
import type { Values } from '../tensor/types';
import { defineLoss, type ReductionOptions } from './defineLoss';
import { mse } from './mse';
import { readPair } from './pair';

/** rmse has one reduction: the square root of a sum, or of single elements, is not rmse. */
const meanOnly = customOption<'mean'>('mean', (fn, name, value) => {
  if (value !== undefined && value !== 'mean') {
    fail(fn, name, "'mean' (rmse is the square root of the mean; use mse or sse for a sum or per-element values)", describe(value));
  }
  return 'mean';
});

const spec = {
  /** Only `'mean'` (the default): the square root of a sum or of one element is not rmse. */
  reduction: meanOnly,
};

/**
 * Root mean squared error (평균 제곱근 오차): the square root of mse, over any shape.
 *
 * $$\mathrm{rmse} = \sqrt{\mathrm{mse}} = \sqrt{\frac{1}{n}\sum_{i=1}^{n} (x_i - y_i)^2}$$
 *
 * - `reduction`: only `'mean'` (the default); `'sum'` and `'none'` throw, since the square root
 *   of a sum (or of one squared error, |x - y|) is not rmse: use sse, mse or mae for those.
 * - Shapes: `input` and `target` any equal shape.
 * - Gradient: $\partial\,\mathrm{rmse}/\partial x_i = \frac{x_i - y_i}{n\cdot\mathrm{rmse}}$ (mse's
 *   gradient over $2\sqrt{\mathrm{mse}}$). Where rmse is 0 (input equals target) the gradient is taken
 *   as 0, a subgradient; `torch.sqrt(F.mse_loss(x, y))` gives NaN there.
 * - PyTorch: `torch.sqrt(F.mse_loss(input, target))`; Keras: `RootMeanSquaredError` (a metric).
 *
 * @example
 * rmse([1, 3, 5, 6, 7], [3, 2, 7, 5, 8]) // 1.4832396974191326
 * rmse.grad([2, 0, 0, 0], [0, 0, 0, 0]) // [0.5, 0, 0, 0]
 */
export const rmse = defineLoss<Values, typeof spec, ReturnType<typeof prepare>>({
  name: 'rmse',
  options: spec,
  prepare,
  value: ({ x, y }) => Math.sqrt(mse(x, y)),
  // d/dx sqrt(m) = m' / (2 sqrt(m)), with m' = mse.grad = 2 (x - y) / n
  grad({ x, y, size }, out) {
    const r = Math.sqrt(mse(x, y));
    if (r === 0) {
      out.fill(0);
      return;
    }
    const g = mse.grad(x, y);
    for (let i = 0; i < size; i++) out[i] = g[i]! / (2 * r);
  },
});

function prepare(input: Values, target: Values, o: Parsed<typeof spec>) {
  return { ...o, ...readPair('rmse', input, target) };
}
