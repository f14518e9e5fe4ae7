import { numberOption, reduction, type OptionsOf, type Parsed } from '../options';
import { gradScale, reduce } from '../reduce';
import type { FloatArray, Values } from '../tensor/types';
import { defineLoss, type ReductionOptions } from './defineLoss';
import { checkedTotal, readPair } from './pair';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** δ > 0: where the loss turns from quadratic to linear (default 1). */
  delta: numberOption(1, { above: 0 }),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type HuberOptions = OptionsOf<typeof spec>;

/**
 * Huber loss (후버 손실): squared error for small differences, absolute error beyond δ,
 * so outliers pull with a bounded force. Elementwise over any shape, $d_i = x_i - y_i$:
 *
 * $$\ell_i = \begin{cases} \frac12 d_i^2 & |d_i| < \delta \\ \delta\,(|d_i| - \frac12\delta) & \text{otherwise} \end{cases}$$
 *
 * - `reduction`: `'mean'` (default) $\frac1n\sum\ell_i$, `'sum'` $\sum\ell_i$, `'none'` the $\ell_i$.
 * - `delta`: δ, default 1, must be > 0. At δ = 1 this equals PyTorch's `smooth_l1_loss`.
 * - Shapes: `input` and `target` any equal shape.
 * - Gradient: $\partial\ell_i/\partial x_i = \operatorname{clamp}(d_i, -\delta, \delta)$, over $n$ for `'mean'`;
 *   continuous, so $|d_i| = \delta$ needs no convention.
 * - PyTorch: `F.huber_loss(input, target, delta=1.0)`; Keras: `Huber(delta=1.0)`.
 *
 * @example
 * huber([0, 0], [0.5, 3]) // 1.3125
 * huber.grad([0, 0], [0.5, 3], { delta: 2 }) // [-0.25, -1]
 */
export const huber = defineLoss<Values, typeof spec, ReturnType<typeof prepare>>({
  name: 'huber',
  options: spec,
  prepare,
  value,
  // d/dx: d inside the quadratic zone, ±δ outside: clamp(d, -δ, δ)
  grad(c, out) {
    huberKernel(c, out);
  },
  // One pass for both, unless the per-element values are wanted.
  valueAndGrad(c, out) {
    if (c.reduction === 'none') {
      huberKernel(c, out);
      return value(c);
    }
    return reduce('huber', c.reduction, huberKernel(c, out), c.size, null);
  },
});

type Prepared = ReturnType<typeof prepare>;

function value(c: Prepared): number | Float64Array {
  const { x, y, size, reduction, delta } = c;
  const items = reduction === 'none' ? new Float64Array(size) : null;
  let total = 0;
  for (let i = 0; i < size; i++) {
    const a = Math.abs(x[i]! - y[i]!);
    const l = a < delta ? 0.5 * a * a : delta * (a - 0.5 * delta);
    total += l;
    if (items) items[i] = l;
  }
  return reduce('huber', reduction, checkedTotal('huber', c, total), size, items);
}

/** Writes the gradient and returns the checked sum of the losses, in one pass. */
function huberKernel(c: Prepared, out: FloatArray): number {
  const { x, y, delta } = c;
  const s = gradScale('huber', c.reduction, c.size);
  const total =
    x instanceof Float32Array && y instanceof Float32Array && out instanceof Float32Array ? huberF32(x, y, out, s, delta) : huberAny(x, y, out, s, delta);
  return checkedTotal('huber', c, total);
}

// The same loop twice, so each copy stays monomorphic in V8 (see mse).
function huberF32(x: Float32Array, y: Float32Array, out: Float32Array, s: number, delta: number): number {
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - y[i]!;
    const a = Math.abs(d);
    total += a < delta ? 0.5 * a * a : delta * (a - 0.5 * delta);
    out[i] = s * Math.min(delta, Math.max(-delta, d));
  }
  return total;
}

function huberAny(x: FloatArray, y: FloatArray, out: FloatArray, s: number, delta: number): number {
  let total = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i]! - y[i]!;
    const a = Math.abs(d);
    total += a < delta ? 0.5 * a * a : delta * (a - 0.5 * delta);
    out[i] = s * Math.min(delta, Math.max(-delta, d));
  }
  return total;
}

function prepare(input: Values, target: Values, o: Parsed<typeof spec>) {
  return { ...o, ...readPair('huber', input, target, { deferScan: true }) };
}
