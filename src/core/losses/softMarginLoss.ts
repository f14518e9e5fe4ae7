import { fail } from '../errors';
import { reduction, type OptionsOf } from '../options';
import { checkFinite } from '../tensor/flatten';
import * as bceModule from './bceFromLogits';
import type { FloatArray, Values } from '../tensor/types';
import { bceLogitsBlocks } from './bceLogitsBlock';
import { BLOCK, elements, elementwiseLoss, kernel, readElements, type Elements, type FastBlock } from './elementwise';

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
 * softplus(-y x) = BCE-with-logits at t = (1 + y)/2: t softplus(-x) + (1 - t) softplus(x); d/dx:
 * σ(x) - t = -y σ(-y x). A label other than ±1 gives a NaN term, which the total reports and
 * diagnose names (no scan first).
 */
export const softMarginKernel = kernel({
  term: (x, y) => (y === 1 || y === -1 ? bceFromLogits(x, 0.5 + 0.5 * y, 1, 0) : NaN),
  slope: (x, y, _a, _b, c) => c * bceFromLogitsSlope(x, 0.5 + 0.5 * y, 1, 0),
});

/** One block's labels as targets (softMarginBlocks): float32 for float32 scores and labels, else float64 (so the blocks sum as the loop does). */
const TARGETS = new Float32Array(BLOCK);
const TARGETS64 = new Float64Array(BLOCK);
/** A compensated block's error, handed on from binaryCrossEntropyWithLogits's block to the loop. */
const PART_ERROR = new Float64Array(1);

/**
 * The blocks of softMarginLoss (no per-item values): each block's labels become targets
 * t = (1 + y)/2 (1 and 0; NaN for any other label, which the blocks refuse), and
 * binaryCrossEntropyWithLogits's blocks (bceLogitsBlocks: its WebAssembly kernel on float32, then
 * its TypeScript block) take the block, with the kernel's bits: at q = 1 and t in {0, 1} they
 * compute what its term and slope do. The targets are float32 where scores and labels are (eight
 * plain lanes, as the loop's), float64 otherwise (two compensated lanes, the block's error handed
 * on). A block they refuse (a bad label, a NaN, a logit beyond ±709) returns undefined: the loop
 * runs it. null otherwise. 1e6 float32 elements, value and gradient: 40 ms in the loop, 14 ms here.
 */
export function softMarginBlocks(c: Elements, out: FloatArray | null, items: Float64Array | null, s: number): FastBlock | null {
  const { x, y } = c;
  if (items !== null) return null;
  const targets = x instanceof Float32Array && y instanceof Float32Array ? TARGETS : TARGETS64;
  const block = (from: number, to: number) => {
    const m = to - from;
    const t = targets.subarray(0, m);
    for (let i = 0; i < m; i++) {
      const v = y[from + i]!;
      t[i] = v === 1 ? 1 : v === -1 ? 0 : NaN;
    }
    const e = elements(x.subarray(from, to), t, null, 1, null, 1, 0, c.reduction, c.count);
    const blocks = bceLogitsBlocks(e, out === null ? null : out.subarray(from, to), null, s);
    const part = blocks === null ? undefined : blocks(0, m);
    if (blocks?.error) PART_ERROR[0] = blocks.error[0]!;
    return part;
  };
  return targets === TARGETS ? block : Object.assign(block, { error: PART_ERROR });
}

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
  kernel: softMarginKernel,
  // float32 blocks: binaryCrossEntropyWithLogits's (WebAssembly, then TypeScript), on each block's labels as targets
  fast: (c, out, items, s) => softMarginBlocks(c, out, items, s),
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
