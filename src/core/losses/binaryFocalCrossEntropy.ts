import { flag, numberOption, reduction, type OptionsOf } from '../options';
import type { Values } from '../tensor/types';
import { readBinaryPair } from './binaryPair';
import { elements, elementwiseLoss, kernel } from './elementwise';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** γ >= 0: the focusing exponent of $(1 - p_t)^\gamma$ (default 2). */
  gamma: numberOption(2, { min: 0 }),
  /** α in [0, 1]: the weight of positive targets when `applyClassBalancing` (default 0.25). */
  alpha: numberOption(0.25, { min: 0, max: 1 }),
  /** Weights each term by α t + (1 - α)(1 - t) (default false). */
  applyClassBalancing: flag(false),
  /** The input holds logits rather than probabilities (default false). */
  fromLogits: flag(false),
  /** s in [0, 1]: targets become t (1 - s) + s / 2, as Keras (default 0). */
  labelSmoothing: numberOption(0, { min: 0, max: 1 }),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type BinaryFocalCrossEntropyOptions = OptionsOf<typeof spec>;

/** keras.backend.epsilon(): probabilities are clipped to [ε, 1 - ε] inside the logarithms. */
const EPS = 1e-7;

/**
 * Keras's focal term at probability p (unclipped) and target t, a = γ, b = α (or -1: no balancing):
 * ℓ = w m^γ bce, m = 1 - p_t = p + t - 2 t p, bce = -(t log p̂ + (1 - t) log(1 - p̂)), p̂ = clip(p, ε, 1 - ε),
 * w = α t + (1 - α)(1 - t). dℓ/dp = w [γ m^(γ-1) (1 - 2t) bce + m^γ (p̂ - t) / (p̂ (1 - p̂))], the last
 * term 0 where the clip holds (autograd's clamp passes the gradient at its bounds, as here).
 */
function focal(p: number, t: number, g: number, al: number): number {
  const c = p < EPS ? EPS : p > 1 - EPS ? 1 - EPS : p;
  const bce = -(t * Math.log(c) + (1 - t) * Math.log(1 - c));
  const m = p + t - 2 * t * p;
  const w = al < 0 ? 1 : al * t + (1 - al) * (1 - t);
  return w * (g === 0 ? 1 : Math.pow(m, g)) * bce;
}

function focalSlope(p: number, t: number, g: number, al: number): number {
  const inside = p >= EPS && p <= 1 - EPS;
  const c = p < EPS ? EPS : p > 1 - EPS ? 1 - EPS : p;
  const bce = -(t * Math.log(c) + (1 - t) * Math.log(1 - c));
  const m = p + t - 2 * t * p;
  const w = al < 0 ? 1 : al * t + (1 - al) * (1 - t);
  const f = g === 0 ? 1 : Math.pow(m, g);
  const df = g === 0 ? 0 : m > 0 ? g * Math.pow(m, g - 1) : g === 1 ? 1 : 0;
  return w * (df * (1 - 2 * t) * bce + (inside ? (f * (c - t)) / (c * (1 - c)) : 0));
}

/**
 * One kernel for both input kinds (elementwiseLoss takes one): a = γ on probabilities, a = -γ from
 * logits (-0 for γ = 0: the sign bit says which, exactly); b = α, or -1 without class balancing.
 * From logits p = σ(x) (Keras then clips it as a probability), dp/dx = σ(x) σ(-x).
 */
const focalKernel = kernel({
  term(x, y, a, b) {
    if (a > 0 || 1 / a > 0) return focal(x, y, a, b);
    return focal(1 / (1 + Math.exp(-x)), y, -a, b);
  },
  slope(x, y, a, b, c) {
    if (a > 0 || 1 / a > 0) return c * focalSlope(x, y, a, b);
    const p = 1 / (1 + Math.exp(-x));
    return c * focalSlope(p, y, -a, b) * p * (1 / (1 + Math.exp(x)));
  },
});

/**
 * Binary focal cross-entropy (이진 초점 교차 엔트로피), Keras 3's: binary cross-entropy scaled by
 * $(1 - p_t)^\gamma$, so well-classified elements count less. Elementwise over any shape, with
 * $p = x$ (or $\sigma(x)$ `fromLogits`), $t$ the (smoothed) target, $\hat p = \operatorname{clip}(p, 10^{-7}, 1 - 10^{-7})$:
 *
 * $$\ell_i = w_i\,(1 - p_{t,i})^\gamma \cdot -\left[t_i \log\hat p_i + (1 - t_i)\log(1 - \hat p_i)\right],
 * \quad p_t = t p + (1 - t)(1 - p),\quad w = \alpha t + (1 - \alpha)(1 - t)\ \text{or}\ 1$$
 *
 * - `reduction`: `'mean'` (default) $\frac1n\sum\ell_i$ (Keras's mean over the last axis, then over samples),
 *   `'sum'` $\sum\ell_i$, `'none'` the $\ell_i$.
 * - `gamma` γ >= 0, default 2; `alpha` α in [0, 1], default 0.25, used only when `applyClassBalancing`
 *   (default false); `fromLogits` default false; `labelSmoothing` s, default 0: $t = y(1 - s) + s/2$.
 *   At γ = 0 without balancing it is Keras's clipped `binaryCrossEntropy`.
 * - Shapes: `input` (probabilities in [0, 1], or logits) and `target` (in [0, 1]) any equal shape.
 * - Gradient: d/dx of the above by the product rule, $\partial\hat p/\partial p = 0$ outside the clip;
 *   times $\sigma(x)\sigma(-x)$ from logits; over $n$ for `'mean'`.
 * - Keras: `keras.losses.BinaryFocalCrossentropy(apply_class_balancing=False, alpha=0.25, gamma=2.0,
 *   from_logits=False, label_smoothing=0.0)`.
 *
 * @example
 * binaryFocalCrossEntropy([[0.6, 0.4], [0.4, 0.6]], [[0, 1], [0, 0]], { reduction: 'none' }) // [0.3298646634746958, 0.3298646634746956, 0.08173209980255854, 0.3298646634746958]
 * binaryFocalCrossEntropy.grad([0.5], [1], { gamma: 0 }) // [-2]
 */
export const binaryFocalCrossEntropy = elementwiseLoss({
  name: 'binaryFocalCrossEntropy',
  options: spec,
  kernel: focalKernel,
  prepare(input: Values, target: Values, o) {
    const fn = 'binaryFocalCrossEntropy';
    const pair = readBinaryPair(fn, input, target, { probabilities: !o.fromLogits });
    const s = o.labelSmoothing;
    const t = s === 0 ? pair.y : Float64Array.from(pair.y, (v) => v * (1 - s) + 0.5 * s);
    return elements(pair.x, t, null, 1, null, o.fromLogits ? -o.gamma : o.gamma, o.applyClassBalancing ? o.alpha : -1, o.reduction, pair.size);
  },
});
