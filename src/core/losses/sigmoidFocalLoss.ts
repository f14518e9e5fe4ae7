import { numberOption, reduction, type OptionsOf } from '../options';
import * as scalarModule from '../math/scalar';
import * as expModule from '../math/fastExp';
import * as logModule from '../math/fastLog';
import * as bceModule from './bceFromLogits';
import { assertBinaryPair, readBinaryPair } from './binaryPair';
import { elements, elementwiseLoss, kernel } from './elementwise';
import { sigmoidFocalBlocks } from './sigmoidFocalBlock';

// Module-local bindings of the imports used per element: CommonJS builds (tsx) read an import
// through a getter at each use, which V8 does not inline into a hot loop; these are read once.
const { bceFromLogitsSlope, CANCELLED } = bceModule;
const { sigmoidPairOf, SIGMOID_PAIR } = scalarModule;
const fastExp = expModule.fastExp;
const fastLog1p = logModule.fastLog1p;

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

/** sigmoidFocalLoss's element, a = α, b = γ (sigmoidFocalBlock.ts follows it operation for operation). */
export const sigmoidFocalKernel = kernel({
  // a target outside [0, 1] (or NaN) gives a NaN term, which the total reports and diagnose names
  // (the checks deferred to the pass, as binaryCrossEntropyWithLogits's)
  term(x, t, alpha, gamma) {
    if (!(t >= 0 && t <= 1)) return NaN;
    const e = fastExp(-Math.abs(x));
    const m = oneMinusPt(x, t, e);
    return alphaT(alpha, t) * power(m, gamma) * hardBce(x, t, fastLog1p(e));
  },
  // d/dx [m^γ BCE] = m^γ [BCE' + γ (m'/m) BCE], m' = (1 - 2t) p (1 - p), BCE' = (1 - t) σ(x) - t σ(-x)
  // (bceFromLogitsSlope's, which redoes a cancelled one)
  slope(x, t, alpha, gamma, c) {
    const e = fastExp(-Math.abs(x));
    const m = oneMinusPt(x, t, e);
    const p = SIGMOID_PAIR[0]!;
    const n = SIGMOID_PAIR[1]!;
    const focus = gamma === 0 || m === 0 ? 0 : gamma * (1 - 2 * t) * ((p * n) / m) * hardBce(x, t, fastLog1p(e));
    const a = (1 - t) * p;
    const b = t * n;
    const g = Math.abs(a - b) < CANCELLED * (a + b) && Math.abs(x) < 745 ? bceFromLogitsSlope(x, t, 1, 0) : a - b;
    return c * alphaT(alpha, t) * power(m, gamma) * (g + focus);
  },
});

/**
 * Sigmoid focal loss on logits (Lin et al., RetinaNet), elementwise over any shape:
 * binaryCrossEntropyWithLogits scaled down where the prediction is already right.
 *
 * $$\ell_i = \alpha_{t_i}\,(1 - p_{t_i})^{\gamma}\,\mathrm{BCE}(x_i, t_i), \quad p = \sigma(x_i),\;
 *   p_t = p\,t_i + (1 - p)(1 - t_i),\; \alpha_t = \alpha t_i + (1 - \alpha)(1 - t_i)$$
 *
 * ($\alpha_t = 1$ when $\alpha < 0$). $\mathrm{BCE}$ is the BCE-from-logits kernel (see
 * binaryCrossEntropyWithLogits), and $m = 1 - p_t = (1 - t)\,\sigma(x) + t\,\sigma(-x)$ takes
 * $\sigma(\pm x)$ each directly, never $1 - \sigma$: for a confident right prediction (the
 * focal term's whole point) $m$ is tiny and keeps its digits, where torchvision's $1 - p_t$ keeps
 * few (at $x = 36$, $t = 1$ it is 4 % off, at $x = 37$ 30 %, from $x = 38$ on it is 0).
 *
 * - `reduction`: `'mean'` (default) over all elements, `'sum'`, `'none'` the $\ell_i$.
 *   torchvision defaults to `'none'`; losslab's default is `'mean'` for every loss.
 * - Options: `alpha` (default 0.25, at most 1, negative = off), `gamma` (default 2, >= 0).
 * - Shapes: `input` (logits) and `target` (0/1 labels, or soft targets in [0, 1]): any equal shape.
 * - Gradient: with $\partial m/\partial x = (1 - 2t)\,p(1 - p)$ and $\partial\mathrm{BCE}/\partial x = p - t$:
 *   $\partial\ell_i/\partial x_i = \alpha_t\, m^{\gamma}\left[(p - t) + \gamma\,(1 - 2t)\,\frac{p(1 - p)}{m}\,\mathrm{BCE}\right]$,
 *   where $p(1 - p)/m \le 1$ ($m \ge \min(p, 1 - p)$), so no $m^{\gamma - 1}$ overflows for $\gamma < 1$;
 *   the second term is 0 where $m = 0$.
 * - torchvision: `torchvision.ops.sigmoid_focal_loss(inputs, targets, alpha, gamma, reduction)`.
 *
 * @example
 * sigmoidFocalLoss([2, -1], [1, 0]) // 0.008722216920080295
 * sigmoidFocalLoss.grad([0], [1], { gamma: 0, alpha: -1 }) // [-0.5]
 */
export const sigmoidFocalLoss = elementwiseLoss({
  name: 'sigmoidFocalLoss',
  options: spec,
  kernel: sigmoidFocalKernel,
  prepare(input, target, o) {
    const pair = readBinaryPair('sigmoidFocalLoss', input, target, { probabilities: false, deferChecks: true });
    return elements(pair.x, pair.y, null, 1, null, o.alpha, o.gamma, o.reduction, pair.size);
  },
  diagnose: (c) => assertBinaryPair('sigmoidFocalLoss', c, false),
  // float32 blocks: term and slope written out in one loop (sigmoidFocalBlock.ts, the same bits)
  fast: (c, out, items, s) => sigmoidFocalBlocks(c, out, items, s),
});

/** bceFromLogits(x, t, 1, 0) from its l = log1p(exp(-|x|)): t softplus(-x) + (1 - t) softplus(x), the same operations. */
const hardBce = (x: number, t: number, l: number) => t * ((x < 0 ? -x : 0) + l) + (1 - t) * ((x > 0 ? x : 0) + l);

/** m = 1 - p_t = (1 - t) σ(x) + t σ(-x), with e = exp(-|x|); leaves σ(x), σ(-x) in SIGMOID_PAIR. */
function oneMinusPt(x: number, t: number, e: number): number {
  const p = sigmoidPairOf(x, e);
  return (1 - t) * p + t * SIGMOID_PAIR[1]!;
}

/** m^γ, with the common γ = 2 and 1 as products (Math.pow is a call, ~20 ns); 0^0 = 1. */
const power = (m: number, gamma: number) => (gamma === 2 ? m * m : gamma === 1 ? m : gamma === 0 ? 1 : Math.pow(m, gamma));

const alphaT = (alpha: number, t: number) => (alpha < 0 ? 1 : alpha * t + (1 - alpha) * (1 - t));
