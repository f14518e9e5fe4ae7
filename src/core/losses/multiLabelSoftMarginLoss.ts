import { fail, showShape } from '../errors';
import { optionalNumberOrValues, reduction, type OptionsOf } from '../options';
import type { Values } from '../tensor/types';
import { bceLogits } from './bceFromLogits';
import { bceLogitsBlocks } from './bceLogitsBlock';
import { readBinaryPair } from './binaryPair';
import { elements, elementwiseLoss } from './elementwise';

const spec = {
  /** How the per-sample losses are combined: `'mean'` (default), `'sum'` or `'none'` (one per sample). */
  reduction: reduction(),
  /** Rescaling weights `w_c`: a number, or values broadcastable to the input's shape, typically `[C]` (default 1). */
  weight: optionalNumberOrValues({ min: 0 }),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type MultiLabelSoftMarginLossOptions = OptionsOf<typeof spec>;

/**
 * Multi-label soft margin loss (다중 레이블 소프트 마진 손실): for each sample, the mean over its C
 * classes of the binary cross-entropy of logits $x$ against labels $y$ in [0, 1]:
 *
 * $$\ell_n = -\frac1C \sum_{c=1}^{C} w_c \left[y_{nc} \log\sigma(x_{nc}) + (1 - y_{nc}) \log\sigma(-x_{nc})\right]$$
 *
 * - `reduction`: `'mean'` (default) $\frac1N\sum\ell_n$, `'sum'` $\sum\ell_n$, `'none'` the $N$ values $\ell_n$.
 * - `weight`: default 1; a number, `[C]`, or any shape broadcastable to the input's (as PyTorch).
 * - Shapes: `input` and `target` `[N, C]` (or `[C]`, one sample; classes on the last axis).
 * - Gradient: $\partial\ell_n/\partial x_{nc} = w_c(\sigma(x_{nc}) - y_{nc})/C$, over $N$ for `'mean'`.
 * - Accuracy: the terms are `binaryCrossEntropyWithLogits`'s kernel (softplus pair, no cancellation).
 * - PyTorch: `F.multilabel_soft_margin_loss(input, target, weight=None)`.
 *
 * @example
 * multiLabelSoftMarginLoss([[0, 2]], [[1, 0]]) // 1.410037595801459
 * multiLabelSoftMarginLoss.grad([[0, 2]], [[1, 0]]) // [[-0.25, 0.44039853898894116]]
 */
export const multiLabelSoftMarginLoss = elementwiseLoss({
  name: 'multiLabelSoftMarginLoss',
  options: spec,
  // the BCE-from-logits kernel (q = 1, no smoothing) with weights w_c / C: per sample, the mean over classes
  kernel: bceLogits,
  prepare(input: Values, target: Values, o) {
    const fn = 'multiLabelSoftMarginLoss';
    const pair = readBinaryPair(fn, input, target, { probabilities: false, weight: o.weight });
    if (pair.shape.length < 1) fail(fn, 'input shape', '[C] or [N, C] (classes on the last axis)', `shape ${showShape(pair.shape)}`);
    const classes = pair.shape[pair.shape.length - 1]!;
    const w = pair.w === null ? null : Float64Array.from(pair.w, (v) => v / classes);
    return elements(pair.x, pair.y, w, pair.ws / classes, null, 1, 0, o.reduction, pair.size / classes);
  },
  // without per-class weights, 'mean' or 'sum': binaryCrossEntropyWithLogits's blocks at the scalar weight
  // 1/C (its WebAssembly kernel on float32, then its TypeScript block on any kind), the loop's bits
  fast: (c, out, items, s) => bceLogitsBlocks(c, out, items, s),
  // 'none': one value per sample, the sum of its classes' (already divided by C) terms
  items(c, items) {
    const rows = c.count;
    const classes = c.size / rows;
    const out = new Float64Array(rows);
    for (let n = 0; n < rows; n++) {
      let s = 0;
      for (let k = n * classes; k < (n + 1) * classes; k++) s += items[k]!;
      out[n] = s;
    }
    return out;
  },
});
