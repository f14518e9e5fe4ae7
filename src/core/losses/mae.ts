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
export const mae = defineLoss<Values, typeof spec, ReturnType<typeof prepare>>({
  name: 'mae',
  options: spec,
  prepare,
  value,
  // d/dx |x - y| = sign(x - y), taken as 0 at x = y (the subgradient PyTorch uses)
  grad(c, out) {
    absoluteError(c, out);
  },
  // One pass for both, unless the per-element values are wanted.
  valueAndGrad(c, out) {
    if (c.reduction === 'none') {
      absoluteError(c, out);
      return value(c);
    }
    return reduce('mae', c.reduction, absoluteError(c, out), c.size, null);
  },
});

type Prepared = ReturnType<typeof prepare>;

function value(c: Prepared): number | Float64Array {
  const { x, y, size, reduction } = c;
  const items = reduction === 'none' ? new Float64Array(size) : null;
  let total = 0;
  for (let i = 0; i < size; i++) {
    const a = Math.abs(x[i]! - y[i]!);
    total += a;
    if (items) items[i] = a;
  }
  return reduce('mae', reduction, checkedTotal('mae', c, total), size, items);
}

/** Writes the gradient and returns the checked sum of absolute errors, in one pass. */
function absoluteError(c: Prepared, out: FloatArray): number {
  const { x, y } = c;
  const s = gradScale('mae', c.reduction, c.size);
  const total = x instanceof Float32Array && y instanceof Float32Array && out instanceof Float32Array ? absErrF32(x, y, out, s) : absErrAny(x, y, out, s);
  return checkedTotal('mae', c, total);
}

// The same loop twice, so each copy stays monomorphic in V8 (see mse).
function absErrF32(x: Float32Array, y: Float32Array, out: Float32Array, s: number): number {
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - y[i]!;
    total += Math.abs(d);
    out[i] = d > 0 ? s : d < 0 ? -s : 0;
  }
  return total;
}

function absErrAny(x: FloatArray, y: FloatArray, out: FloatArray, s: number): number {
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - y[i]!;
    total += Math.abs(d);
    out[i] = d > 0 ? s : d < 0 ? -s : 0;
  }
  return total;
}

function prepare(input: Values, target: Values, o: Parsed<typeof spec>) {
  return { ...o, ...readPair('mae', input, target, { deferScan: true }) };
}
