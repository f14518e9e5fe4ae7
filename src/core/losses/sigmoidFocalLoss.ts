import * as scalarModule from '../math/scalar';
import { numberOption, reduction, type OptionsOf, type Parsed } from '../options';
import { gradScale, reduce } from '../reduce';
import type { FloatArray, Values } from '../tensor/types';
import { readBinaryPair } from './binaryPair';
import { defineLoss, type ReductionOptions } from './defineLoss';

// Module-local bindings of the imports used per element: CommonJS builds (tsx) read an import
// through a getter at each use, which V8 does not inline into a hot loop; these are read once.
const { softplus, sigmoidScalar } = scalarModule;

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** Weight α of positives, 1 - α of negatives; a negative α turns weighting off (default 0.25). */
  alpha: numberOption(0.25, { max: 1 }),
  /** Focusing exponent γ >= 0 (default 2); γ = 0 with α < 0 is binaryCrossEntropyWithLogits. */
  gamma: numberOption(2, { min: 0 }),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type SigmoidFocalLossOptions = OptionsOf<typeof spec>;

/**
 * Sigmoid focal loss on logits (Lin et al., RetinaNet), elementwise over any shape:
 * binaryCrossEntropyWithLogits scaled down where the prediction is already right.
 *
 * $$\ell_i = \alpha_{t_i}\,(1 - p_{t_i})^{\gamma}\,\mathrm{BCE}(x_i, t_i), \quad p = \sigma(x_i),\;
 *   p_t = p\,t_i + (1 - p)(1 - t_i),\; \alpha_t = \alpha t_i + (1 - \alpha)(1 - t_i)$$
 *
 * ($\alpha_t = 1$ when $\alpha < 0$). $\mathrm{BCE}$ is the stable logits form, see binaryCrossEntropyWithLogits.
 *
 * - `reduction`: `'mean'` (default) over all elements, `'sum'`, `'none'` the $\ell_i$.
 *   torchvision defaults to `'none'`; losslab's default is `'mean'` for every loss.
 * - Options: `alpha` (default 0.25, at most 1, negative = off), `gamma` (default 2, >= 0).
 * - Shapes: `input` (logits) and `target` (0/1 labels, or soft targets in [0, 1]): any equal shape.
 * - Gradient: with $m = 1 - p_t$, $\partial m/\partial x = (1 - 2t)\,p(1 - p)$ and $\partial\mathrm{BCE}/\partial x = p - t$:
 *   $\partial\ell_i/\partial x_i = \alpha_t\left[(p - t)\,m^{\gamma} + \gamma\, m^{\gamma - 1}(1 - 2t)\,p(1 - p)\,\mathrm{BCE}\right]$.
 * - torchvision: `torchvision.ops.sigmoid_focal_loss(inputs, targets, alpha, gamma, reduction)`.
 *
 * @example
 * sigmoidFocalLoss([2, -1], [1, 0]) // 0.008722216920080293
 * sigmoidFocalLoss.grad([0], [1], { gamma: 0, alpha: -1 }) // [-0.5]
 */
export const sigmoidFocalLoss = defineLoss<Values, typeof spec, ReturnType<typeof prepare>>({
  name: 'sigmoidFocalLoss',
  options: spec,
  prepare,
  value: (c) => pass(c, null),
  grad(c, out) {
    pass(c, out);
  },
  valueAndGrad: (c, out) => pass(c, out),
});

type Prepared = ReturnType<typeof prepare>;

/** One pass over the elements: the reduced loss, and with `out` the gradient written alongside. */
function pass(c: Prepared, out: FloatArray | null): number | Float64Array {
  const scale = gradScale('sigmoidFocalLoss', c.reduction, c.size);
  const items = c.reduction === 'none' ? new Float64Array(c.size) : null;
  let total = 0;
  for (let i = 0; i < c.size; i++) {
    const loss = elementLossAndGrad(c, i, out, scale);
    total += loss;
    if (items) items[i] = loss;
  }
  return reduce('sigmoidFocalLoss', c.reduction, total, c.size, items);
}

/**
 * One element's loss; with `out`, also writes scale · d loss / d x there.
 * p = σ(x) and 1 - p = σ(-x) are both taken directly, so m = p (1 - t) + (1 - p) t keeps full
 * precision when p is near 0 or 1; BCE = (1 - t) x + softplus(-x) (see binaryCrossEntropyWithLogits).
 */
function elementLossAndGrad(c: Prepared, i: number, out: FloatArray | null, scale: number): number {
  const { alpha, gamma } = c;
  const x = c.x[i]!;
  const t = c.t[i]!;
  const p = sigmoidScalar(x);
  const q = sigmoidScalar(-x);
  const m = p * (1 - t) + q * t;
  const bce = (1 - t) * x + softplus(-x);
  const a = alpha < 0 ? 1 : alpha * t + (1 - alpha) * (1 - t);
  const mod = gamma === 0 ? 1 : Math.pow(m, gamma);
  // d/dx [bce · m^γ] = (p - t) m^γ + bce · γ m^(γ-1) (1 - 2t) p q; the second term tends to 0 as m -> 0
  // (m = 0 only for a hard target with p exactly 0 or 1), so it is 0 there instead of 0·Inf.
  if (out) {
    const focus = gamma === 0 || m === 0 ? 0 : gamma * Math.pow(m, gamma - 1) * (1 - 2 * t) * p * q;
    out[i] = scale * a * ((p - t) * mod + bce * focus);
  }
  return a * mod * bce;
}

function prepare(input: Values, target: Values, o: Parsed<typeof spec>) {
  const fn = 'sigmoidFocalLoss';
  return { reduction: o.reduction, alpha: o.alpha, gamma: o.gamma, ...readBinaryPair(fn, input, target, { probabilities: false }) };
}
