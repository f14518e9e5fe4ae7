import { fail } from '../errors';
import * as scalarModule from '../math/scalar';
import { numberOption, optionalValues, optionalVector, reduction, type OptionsOf, type Parsed } from '../options';
import { gradScale, reduce } from '../reduce';
import type { Values } from '../tensor/types';
import { readBinaryPair } from './binaryPair';
import { defineLoss, type ReductionOptions } from './defineLoss';

// Module-local bindings of the imports used per element: CommonJS builds (tsx) read an import
// through a getter at each use, which V8 does not inline into a hot loop; these are read once.
const { softplus, sigmoidScalar } = scalarModule;

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** Elementwise rescaling weights `w_i`, of the input's shape (default all 1). */
  weight: optionalValues({ min: 0 }),
  /** Weights `q_k` of positive targets, one per entry of the input's last dimension (default all 1). */
  posWeight: optionalVector({ min: 0 }),
  /** s in [0, 1]: targets become t (1 - s) + s / 2, as Keras (default 0). */
  labelSmoothing: numberOption(0, { min: 0, max: 1 }),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type BinaryCrossEntropyWithLogitsOptions = OptionsOf<typeof spec>;

/**
 * Binary cross-entropy on logits: sigmoid and binaryCrossEntropy fused, elementwise over any shape.
 * More stable than `binaryCrossEntropy(sigmoid(x), t)`: no log of a rounded probability, no clamp.
 *
 * $$\ell_i = -w_i\left[q_i\, t_i \log\sigma(x_i) + (1 - t_i)\log(1 - \sigma(x_i))\right]$$
 *
 * with $q_i$ the `posWeight` of element $i$'s last-axis position and $t_i = y_i(1 - s) + s/2$.
 *
 * - `reduction`: `'mean'` (default) over all elements, `'sum'`, `'none'` the $\ell_i$.
 * - Options: `weight` $w$, same shape as `input` (default all 1); `posWeight` $q$, one value per
 *   entry of the last dimension (default all 1; $q > 1$ raises recall); `labelSmoothing` $s$ (default 0).
 *   Neither weight broadcasts otherwise.
 * - Shapes: `input` (logits), `target` (in [0, 1]) and `weight`: any equal shape; `posWeight`: `[shape.at(-1)]`.
 * - Gradient: $\partial\ell_i/\partial x_i = w_i\left[(1 + (q_i - 1)t_i)\,\sigma(x_i) - q_i t_i\right]$,
 *   $= w_i(\sigma(x_i) - t_i)$ without `posWeight`; over $n$ for `'mean'`.
 * - PyTorch: `F.binary_cross_entropy_with_logits(input, target, weight, pos_weight=posWeight)`;
 *   Keras: `BinaryCrossentropy(from_logits=True, label_smoothing)`. Finite for logits of ±1e4.
 *
 * @example
 * binaryCrossEntropyWithLogits([0, 2], [1, 0]) // 1.410037595801459
 * binaryCrossEntropyWithLogits.grad([0], [1], { posWeight: [3] }) // [-1.5]
 */
export const binaryCrossEntropyWithLogits = defineLoss<Values, typeof spec, ReturnType<typeof prepare>>({
  name: 'binaryCrossEntropyWithLogits',
  options: spec,
  prepare,
  // Stable form: log σ(x) = -softplus(-x) and log(1 - σ(x)) = -softplus(x) = -x - softplus(-x), so
  //   ℓ/w = q t softplus(-x) + (1 - t)(x + softplus(-x)) = (1 - t) x + (1 + (q - 1) t) softplus(-x),
  // and softplus(-x) = max(-x, 0) + log1p(exp(-|x|)) never overflows. For q = 1 this is
  //   max(x, 0) - x t + log1p(exp(-|x|)).
  value(c) {
    const { x, t, w, size, reduction } = c;
    const items = reduction === 'none' ? new Float64Array(size) : null;
    let total = 0;
    for (let i = 0; i < size; i++) {
      const xi = x[i]!;
      const ti = t[i]!;
      const loss = (w ? w[i]! : 1) * ((1 - ti) * xi + (1 + (posAt(c, i) - 1) * ti) * softplus(-xi));
      total += loss;
      if (items) items[i] = loss;
    }
    return reduce('binaryCrossEntropyWithLogits', reduction, total, size, items);
  },
  // d/dx [(1 - t) x + L softplus(-x)], L = 1 + (q - 1) t, with d softplus(-x)/dx = -σ(-x) = σ(x) - 1:
  //   (1 - t) + L (σ(x) - 1) = L σ(x) - q t.
  grad(c, out) {
    const { x, t, w, size, reduction } = c;
    const s = gradScale('binaryCrossEntropyWithLogits', reduction, size);
    for (let i = 0; i < size; i++) {
      const q = posAt(c, i);
      const ti = t[i]!;
      out[i] = s * (w ? w[i]! : 1) * ((1 + (q - 1) * ti) * sigmoidScalar(x[i]!) - q * ti);
    }
  },
});

type Prepared = ReturnType<typeof prepare>;

/** The posWeight of flat element i: entry i mod (last dimension), or 1 without posWeight. */
function posAt(c: Prepared, i: number): number {
  return c.posWeight ? c.posWeight[i % c.posWeight.length]! : 1;
}

function prepare(input: Values, target: Values, o: Parsed<typeof spec>) {
  const fn = 'binaryCrossEntropyWithLogits';
  const pair = readBinaryPair(fn, input, target, { probabilities: false, labelSmoothing: o.labelSmoothing, weight: o.weight });
  const last = pair.shape[pair.shape.length - 1]!;
  if (o.posWeight && o.posWeight.length !== last) {
    fail(fn, 'options.posWeight', `${last} values, one per entry of the input's last dimension`, `${o.posWeight.length}`);
  }
  return { reduction: o.reduction, posWeight: o.posWeight ?? null, ...pair };
}
