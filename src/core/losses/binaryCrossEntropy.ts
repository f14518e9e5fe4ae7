import { numberOption, optionalValues, parseOptions, reduction } from '../options';
import { gradScale, reduce } from '../reduce';
import type { FloatArray, Values } from '../tensor/types';
import { assertBinaryPair, readBinaryPair } from './binaryPair';
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
  value(c) {
    const items = c.reduction === 'none' ? new Float64Array(c.size) : null;
    const total = bceAny(c.x, c.t, c.w, null, items, 0);
    return reduce('binaryCrossEntropy', c.reduction, checked(c, total), c.size, items);
  },
  // d/dp -[t log p + (1-t) log(1-p)] = (p - t) / (p (1 - p)); the denominator floored as PyTorch does.
  grad(c, out) {
    const { x, t, w, size } = c;
    const s = gradScale('binaryCrossEntropy', c.reduction, size);
    let bad = 0;
    for (let i = 0; i < size; i++) {
      const p = x[i]!;
      const y = t[i]!;
      if (!(p >= 0 && p <= 1 && y >= 0 && y <= 1)) bad++;
      out[i] = (s * (w ? w[i]! : 1) * (p - y)) / Math.max(p * (1 - p), GRAD_EPSILON);
    }
    checked(c, bad > 0 ? NaN : 0);
  },
  // Value and gradient in one pass; the all-float32 unweighted case has its own loop.
  valueAndGrad(c, out) {
    const { x, t, w, reduction } = c;
    const s = gradScale('binaryCrossEntropy', reduction, c.size);
    const items = reduction === 'none' ? new Float64Array(c.size) : null;
    const total =
      x instanceof Float32Array && t instanceof Float32Array && out instanceof Float32Array && !w && !items
        ? bceF32(x, t, out, s)
        : bceAny(x, t, w, out, items, s);
    return reduce('binaryCrossEntropy', reduction, checked(c, total), c.size, items);
  },
});

type Prepared = ReturnType<typeof prepare>;

/** The kernels return NaN when an element is NaN or outside [0, 1]; this then throws the checks' message. */
function checked(c: Prepared, total: number): number {
  if (total !== total) assertBinaryPair('binaryCrossEntropy', c, true);
  return total;
}

// Per element, with each log clamped: h = t log p + (1 - t) log1p(-p), the loss -w h and the
// gradient s w (p - t) / max(p (1 - p), eps). For a hard target one log is enough: at t = 1,
// h = log p + 0 · log1p(-p) = log p exactly (the clamped log is finite), and log1p(-p) at t = 0.
// Out-of-range or NaN elements are counted (bad) and turn the total into NaN.
function bceAny(x: FloatArray, t: FloatArray, w: FloatArray | null, out: FloatArray | null, items: Float64Array | null, s: number): number {
  let total = 0;
  let bad = 0;
  for (let i = 0; i < x.length; i++) {
    const p = x[i]!;
    const y = t[i]!;
    if (!(p >= 0 && p <= 1 && y >= 0 && y <= 1)) bad++;
    const h =
      y === 1
        ? Math.max(Math.log(p), LOG_FLOOR)
        : y === 0
          ? Math.max(Math.log1p(-p), LOG_FLOOR)
          : y * Math.max(Math.log(p), LOG_FLOOR) + (1 - y) * Math.max(Math.log1p(-p), LOG_FLOOR);
    const wi = w ? w[i]! : 1;
    const loss = -wi * h;
    total += loss;
    if (items) items[i] = loss;
    if (out) out[i] = (s * wi * (p - y)) / Math.max(p * (1 - p), GRAD_EPSILON);
  }
  return bad > 0 ? NaN : total;
}

// bceAny for float32 arrays, w = 1 and no items: a separate copy keeps V8's loads monomorphic.
function bceF32(x: Float32Array, t: Float32Array, out: Float32Array, s: number): number {
  let total = 0;
  let bad = 0;
  for (let i = 0; i < x.length; i++) {
    const p = x[i]!;
    const y = t[i]!;
    if (!(p >= 0 && p <= 1 && y >= 0 && y <= 1)) bad++;
    const h =
      y === 1
        ? Math.max(Math.log(p), LOG_FLOOR)
        : y === 0
          ? Math.max(Math.log1p(-p), LOG_FLOOR)
          : y * Math.max(Math.log(p), LOG_FLOOR) + (1 - y) * Math.max(Math.log1p(-p), LOG_FLOOR);
    total -= h;
    out[i] = (s * (p - y)) / Math.max(p * (1 - p), GRAD_EPSILON);
  }
  return bad > 0 ? NaN : total;
}

function prepare(input: Values, target: Values, options: unknown) {
  const fn = 'binaryCrossEntropy';
  const o = parseOptions(fn, options, spec);
  return { reduction: o.reduction, ...readBinaryPair(fn, input, target, { probabilities: true, labelSmoothing: o.labelSmoothing, weight: o.weight, deferChecks: true }) };
}
