import { numberOption, optionalValues, parseOptions, reduction } from '../options';
import { gradScale, reduce } from '../reduce';
import type { Values } from '../tensor/types';
import { readBinaryPair } from './binaryPair';
import { defineLoss, type ReductionOptions } from './defineLoss';

const spec = {
  reduction: reduction(),
  weight: optionalValues({ min: 0 }),
  labelSmoothing: numberOption(0, { min: 0, max: 1 }),
};

export interface BinaryCrossEntropyOptions extends ReductionOptions {
  /** Elementwise rescaling weights `w_i`, of the input's shape (default all 1). */
  weight?: Values;
  /** s in [0, 1]: targets become t (1 - s) + s / 2, as Keras (default 0). */
  labelSmoothing?: number;
}

/** PyTorch clamps each log at -100, so probabilities of exactly 0 or 1 give finite losses. */
const LOG_FLOOR = -100;
/** PyTorch's floor on p (1 - p) in the backward pass: its constant is the float32 1e-12. */
const GRAD_EPSILON = Math.fround(1e-12);

/**
 * Binary cross-entropy on probabilities (이진 교차 엔트로피), elementwise over any shape:
 *
 * $$\ell_i = -w_i\left[t_i \max(\log p_i, -100) + (1 - t_i)\max(\log(1 - p_i), -100)\right]$$
 *
 * with $t_i = y_i(1 - s) + s/2$ under label smoothing $s$. The clamp at $-100$ (PyTorch's)
 * makes $p = 0$ or $1$ finite: a wrong certain prediction costs $100 w_i$, a right one 0.
 * On logits prefer binaryCrossEntropyWithLogits, which is stable without a clamp.
 *
 * - `reduction`: `'mean'` (default) $\frac1n\sum\ell_i$ (over all elements, weights included
 *   but not divided by), `'sum'` $\sum\ell_i$, `'none'` the $\ell_i$.
 * - Options: `weight` $w$, same shape as `input` (default all 1; no broadcasting);
 *   `labelSmoothing` $s$ (default 0).
 * - Shapes: `input` (probabilities in [0, 1]), `target` (in [0, 1]) and `weight`: any equal shape.
 * - Gradient (PyTorch's backward): $\partial\ell_i/\partial p_i = w_i (p_i - t_i) / \max(p_i(1 - p_i), 10^{-12})$,
 *   over $n$ for `'mean'`.
 * - PyTorch: `F.binary_cross_entropy(input, target, weight)`; Keras: `BinaryCrossentropy(label_smoothing)`
 *   (which clips $p$ to $[10^{-7}, 1 - 10^{-7}]$ instead of clamping the log).
 *
 * @example
 * binaryCrossEntropy([0.9, 0.2], [1, 0]) // 0.16425203348601802
 * binaryCrossEntropy.grad([0.5], [1]) // [-2]
 */
export const binaryCrossEntropy = defineLoss<Values, BinaryCrossEntropyOptions, ReturnType<typeof prepare>>({
  name: 'binaryCrossEntropy',
  prepare,
  value({ x, t, w, size, reduction }) {
    const items = reduction === 'none' ? new Float64Array(size) : null;
    let total = 0;
    for (let i = 0; i < size; i++) {
      const p = x[i]!;
      const y = t[i]!;
      const logP = Math.max(Math.log(p), LOG_FLOOR);
      const logQ = Math.max(Math.log1p(-p), LOG_FLOOR);
      const loss = -(w ? w[i]! : 1) * (y * logP + (1 - y) * logQ);
      total += loss;
      if (items) items[i] = loss;
    }
    return reduce('binaryCrossEntropy', reduction, total, size, items);
  },
  // d/dp -[t log p + (1-t) log(1-p)] = (p - t) / (p (1 - p)); the denominator floored as PyTorch does.
  grad({ x, t, w, size, reduction }, out) {
    const s = gradScale('binaryCrossEntropy', reduction, size);
    for (let i = 0; i < size; i++) {
      const p = x[i]!;
      out[i] = (s * (w ? w[i]! : 1) * (p - t[i]!)) / Math.max(p * (1 - p), GRAD_EPSILON);
    }
  },
});

function prepare(input: Values, target: Values, options: unknown) {
  const fn = 'binaryCrossEntropy';
  const o = parseOptions(fn, options, spec);
  return { reduction: o.reduction, ...readBinaryPair(fn, input, target, { probabilities: true, labelSmoothing: o.labelSmoothing, weight: o.weight }) };
}
