import { numberOption, optionalNumberOrValues, reduction, type OptionsOf } from '../options';
import { bceLogits } from './bceFromLogits';
import { bceLogitsBlocks } from './bceLogitsBlock';
import { assertBinaryPair, broadcastOption, readBinaryPair } from './binaryPair';
import { elements, elementwiseLoss } from './elementwise';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** Rescaling weights `w_i`: a number, or values broadcastable to the input's shape (default 1). */
  weight: optionalNumberOrValues({ min: 0 }),
  /** Weights `q_i` of positive targets: a number, or values broadcastable to the input's shape, typically `[C]` (default 1). */
  posWeight: optionalNumberOrValues({ min: 0 }),
  /** s in [0, 1]: targets become t (1 - s) + s / 2, as Keras (default 0). */
  labelSmoothing: numberOption(0, { min: 0, max: 1 }),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type BinaryCrossEntropyWithLogitsOptions = OptionsOf<typeof spec>;

/**
 * Binary cross-entropy on logits: sigmoid and binaryCrossEntropy fused, elementwise over any shape.
 * More stable than `binaryCrossEntropy(sigmoid(x), t)`: no log of a rounded probability, no clamp.
 *
 * $$\ell_i = -w_i\left[q_i\, t_i \log\sigma(x_i) + (1 - t_i)\log(1 - \sigma(x_i))\right]
 *   = w_i\left[q_i t_i \operatorname{softplus}(-x_i) + (1 - t_i)\operatorname{softplus}(x_i)\right]$$
 *
 * with $t_i = y_i(1 - s) + s/2$, and $\operatorname{softplus}(\pm x) = \max(\pm x, 0) + \operatorname{log1p}(e^{-|x|})$:
 * two terms >= 0, so no digits cancel (see bceFromLogits.ts); `[-30]` against `[0]` gives
 * $\operatorname{log1p}(e^{-30})$ to the last bit, where PyTorch's form is 1.3 % off.
 *
 * - `reduction`: `'mean'` (default) over all elements, `'sum'`, `'none'` the $\ell_i$.
 * - Options: `weight` $w$ and `posWeight` $q$ (default 1; $q > 1$ raises recall), each a number
 *   or values broadcast to the input's shape as PyTorch does (at most its rank; each axis, from
 *   the last, of the input's size or 1): `[C]` against `[N, C]` is one value per class,
 *   `[N, 1]` one per sample; `labelSmoothing` $s$ (default 0).
 * - Shapes: `input` (logits) and `target` (in [0, 1]): any equal shape.
 * - Gradient: $\partial\ell_i/\partial x_i = w_i\left[(1 - t_i)\,\sigma(x_i) - q_i t_i\,\sigma(-x_i)\right]$,
 *   $= w_i(\sigma(x_i) - t_i)$ without `posWeight`; over $n$ for `'mean'`. $\sigma(\pm x)$ are
 *   each computed directly, so a confident logit keeps its gradient's digits; where a soft target
 *   makes the two terms cancel (t near $\sigma(x)$) the difference is redone in double-double.
 * - Accuracy: under smoothing, $\ell_i = (1 - s)\,\ell(y_i) + \frac s2(\ell(1) + \ell(0))$, never
 *   through a rounded $t_i$ (see readBinaryPair); sums are compensated (see elementwise.ts).
 * - PyTorch: `F.binary_cross_entropy_with_logits(input, target, weight, pos_weight=posWeight)`;
 *   Keras: `BinaryCrossentropy(from_logits=True, label_smoothing)`. Finite for logits of ±1e4.
 *
 * @example
 * binaryCrossEntropyWithLogits([0, 2], [1, 0]) // 1.410037595801459
 * binaryCrossEntropyWithLogits.grad([0], [1], { posWeight: 3 }) // [-1.5]
 * binaryCrossEntropyWithLogits([[0, 1], [2, -1]], [[1, 0], [0, 1]], { posWeight: [3, 1], reduction: 'none' }) // [2.0794415416798357, 1.3132616875182228, 2.1269280110429727, 1.3132616875182228]
 */
export const binaryCrossEntropyWithLogits = elementwiseLoss({
  name: 'binaryCrossEntropyWithLogits',
  options: spec,
  kernel: bceLogits,
  fast: bceLogitsBlocks,
  prepare(input, target, o) {
    const fn = 'binaryCrossEntropyWithLogits';
    // the finiteness and target checks run only when the pass's total is not finite (see bceLogits)
    const pair = readBinaryPair(fn, input, target, { probabilities: false, weight: o.weight, deferChecks: true });
    const pos = broadcastOption(fn, 'options.posWeight', o.posWeight, pair.shape);
    return elements(pair.x, pair.y, pair.w, pair.ws, pos.data, pos.scalar, o.labelSmoothing, o.reduction, pair.size);
  },
  diagnose: (c) => assertBinaryPair('binaryCrossEntropyWithLogits', c, false),
});
