import { describe, fail } from '../errors';
import { customOption } from '../options';
import type { Values } from '../tensor/types';
import { defineLoss } from './defineLoss';
import { checkElements, elements, kernel, readElements, sumElements, type Elements } from './elementwise';
import { squaredError } from './mse';

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
 * - Range: where $\sum d_i^2$ overflows or underflows float64 but rmse does not
 *   (`rmse([1e200], [-1e200])` is 2e200, `rmse([1e-200], [0])` 1e-200), the differences are
 *   scaled by a power of two first, as `Math.hypot` does.
 * - PyTorch: `torch.sqrt(F.mse_loss(input, target))`; Keras: `RootMeanSquaredError` (a metric).
 *
 * @example
 * rmse([1, 3, 5, 6, 7], [3, 2, 7, 5, 8]) // 1.4832396974191326
 * rmse.grad([2, 0, 0, 0], [0, 0, 0, 0]) // [0.5, 0, 0, 0]
 */
export const rmse = defineLoss<Values, typeof spec, Elements>({
  name: 'rmse',
  options: spec,
  prepare: (input, target) => readElements('rmse', input, target, 'sum'),
  value(c) {
    const { sum, k } = sumOfSquares(c);
    return Math.sqrt(sum / c.size) / k;
  },
  // d/dx_i sqrt(S/n) = d_i / (n rmse) = (k d_i) / sqrt(n S_k), S_k = Σ (k d)²: a second pass of
  // the same kernel writes 2 c (k d_i) with c = 1 / (2 sqrt(n) sqrt(S_k)), rounded once into out
  grad(c, out) {
    const { sum, k } = sumOfSquares(c);
    const scale = sum === 0 ? 0 : 1 / (2 * Math.sqrt(c.size) * Math.sqrt(sum));
    if (k === 1) sumElements(squaredError, c, out, null, scale);
    else sumElements(scaledSquare, scaled(c, k), out, null, scale);
  },
  writesEveryElement: true,
});

/** Below this, some d² may have lost digits to underflow: 2^-969, so every d² counted is >= 2^-1022 · 2^53. */
const TINY = 2 ** -969;

/**
 * S_k = Σ (k d_i)² with k = 1 (mse's kernel), or, when that sum overflows or is below TINY (0
 * included: every d² may have underflowed), a power of two k near 1 / max |d_i| (scaledSquare).
 */
function sumOfSquares(c: Elements): { sum: number; k: number } {
  const sum = sumElements(squaredError, c, null, null, 0);
  if (sum - sum === 0 && sum >= TINY) return { sum, k: 1 };
  if (sum - sum !== 0) checkElements('rmse', c, null);
  const k = scaleFor(c);
  if (k === 1) return { sum, k };
  return { sum: sumElements(scaledSquare, scaled(c, k), null, null, 0), k };
}

const scaled = (c: Elements, k: number) => elements(c.x, c.y, null, 1, null, k, 0, 'sum', c.size);

/** (k d)² and 2 k (k d), k = a: the difference scaled before squaring; (x k - y k) when k < 1, since x - y itself may overflow. */
const scaledSquare = kernel({
  term(x, y, a) {
    const d = a < 1 ? x * a - y * a : (x - y) * a;
    return d * d;
  },
  slope: (x, y, a, _b, c) => 2 * c * (a < 1 ? x * a - y * a : (x - y) * a),
});

/** A power of two k with k max |x_i - y_i| in about [1, 2) (from the halves' difference, which cannot overflow), within [2^-1022, 2^1000]; 1 when every difference is 0. */
function scaleFor(c: Elements): number {
  let m = 0;
  for (let i = 0; i < c.size; i++) m = Math.max(m, Math.abs(0.5 * c.x[i]! - 0.5 * c.y[i]!));
  if (m === 0) return 1;
  return 2 ** Math.min(1000, Math.max(-1022, -Math.floor(Math.log2(m)) - 1));
}
