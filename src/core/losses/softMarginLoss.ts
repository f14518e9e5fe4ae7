import { fail } from '../errors';
import { reduction, type OptionsOf } from '../options';
import { checkFinite } from '../tensor/flatten';
import type { Values } from '../tensor/types';
import * as bceModule from './bceFromLogits';
import { elementwiseLoss, kernel, readElements } from './elementwise';

// module-local bindings (see bceFromLogits)
const bceFromLogits = bceModule.bceFromLogits;
const bceFromLogitsSlope = bceModule.bceFromLogitsSlope;

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type SoftMarginLossOptions = OptionsOf<typeof spec>;

/**
 * Soft margin loss (소프트 마진 손실): the logistic loss of scores $x$ against labels $y = \pm1$.
 * Elementwise over any shape:
 *
 * $$\ell_i = \log\left(1 + e^{-y_i x_i}\right) = \operatorname{softplus}(-y_i x_i)$$
 *
 * - `reduction`: `'mean'` (default) $\frac1n\sum\ell_i$, `'sum'` $\sum\ell_i$, `'none'` the $\ell_i$.
 * - Shapes: `input` (scores) and `target` (labels, each -1 or 1) any equal shape.
 * - Gradient: $\partial\ell_i/\partial x_i = -y_i\,\sigma(-y_i x_i)$, over $n$ for `'mean'`.
 * - Accuracy: it is `binaryCrossEntropyWithLogits` on the targets $(1 + y)/2$, and computed by its
 *   kernel: softplus never overflows and keeps its digits for confident scores.
 * - PyTorch: `F.soft_margin_loss(input, target)`.
 *
 * @example
 * softMarginLoss([0, 2], [1, -1]) // 1.410037595801459
 * softMarginLoss.grad([0], [1]) // [-0.5]
 */
export const softMarginLoss = elementwiseLoss({
  name: 'softMarginLoss',
  options: spec,
  // softplus(-y x) = BCE-with-logits at t = (1 + y)/2: t softplus(-x) + (1 - t) softplus(x);
  // d/dx: σ(x) - t = -y σ(-y x)
  // a label other than ±1 gives a NaN term, which the total reports and diagnose names (no scan first)
  kernel: kernel({
    term: (x, y) => (y === 1 || y === -1 ? bceFromLogits(x, 0.5 + 0.5 * y, 1, 0) : NaN),
    slope: (x, y, _a, _b, c) => c * bceFromLogitsSlope(x, 0.5 + 0.5 * y, 1, 0),
  }),
  prepare: (input: Values, target: Values, o) => readElements('softMarginLoss', input, target, o.reduction),
  // the labels first, then the input (the order of the checks when they ran before the pass)
  diagnose(c) {
    const y = c.y;
    for (let i = 0; i < y.length; i++) {
      if (y[i] !== 1 && y[i] !== -1) {
        checkFinite('softMarginLoss', 'target', y);
        fail('softMarginLoss', `target[${i}]`, '-1 or 1', String(y[i]));
      }
    }
    checkFinite('softMarginLoss', 'input', c.x);
  },
});
