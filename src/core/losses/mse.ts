import { reduction, type Parsed } from '../options';
import { gradScale, reduce } from '../reduce';
import type { FloatArray, Values } from '../tensor/types';
import { defineLoss, type ReductionOptions } from './defineLoss';
import { checkedTotal, readPair } from './pair';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
};

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
export const mse = defineLoss<Values, typeof spec, ReturnType<typeof prepare>>({
  name: 'mse',
  options: spec,
  prepare,
  value,
  // d/dx (x - y)^2 = 2 (x - y)
  grad(c, out) {
    squaredError(c, out);
  },
  // One pass for both, unless the per-element values are wanted.
  valueAndGrad(c, out) {
    if (c.reduction === 'none') {
      squaredError(c, out);
      return value(c);
    }
    return reduce('mse', c.reduction, squaredError(c, out), c.size, null);
  },
});

type Prepared = ReturnType<typeof prepare>;

function value(c: Prepared): number | Float64Array {
  const { x, y, size, reduction } = c;
  const items = reduction === 'none' ? new Float64Array(size) : null;
  let total = 0;
  for (let i = 0; i < size; i++) {
    const d = x[i]! - y[i]!;
    total += d * d;
    if (items) items[i] = d * d;
  }
  return reduce('mse', reduction, checkedTotal('mse', c, total), size, items);
}

/** Writes the gradient and returns the checked sum of squared errors, in one pass. */
function squaredError(c: Prepared, out: FloatArray): number {
  const { x, y } = c;
  const s = 2 * gradScale('mse', c.reduction, c.size);
  const total = x instanceof Float32Array && y instanceof Float32Array && out instanceof Float32Array ? sqErrF32(x, y, out, s) : sqErrAny(x, y, out, s);
  return checkedTotal('mse', c, total);
}

// The same loop twice, so each copy's element loads stay monomorphic in V8 (closures of one
// function literal share type feedback): one for all-float32 arrays, one for everything else.
function sqErrF32(x: Float32Array, y: Float32Array, out: Float32Array, s: number): number {
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - y[i]!;
    total += d * d;
    out[i] = s * d;
  }
  return total;
}

function sqErrAny(x: FloatArray, y: FloatArray, out: FloatArray, s: number): number {
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - y[i]!;
    total += d * d;
    out[i] = s * d;
  }
  return total;
}

function prepare(input: Values, target: Values, o: Parsed<typeof spec>) {
  return { ...o, ...readPair('mse', input, target, { deferScan: true }) };
}
