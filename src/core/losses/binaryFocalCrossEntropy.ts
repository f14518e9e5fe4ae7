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
 * Keras's focal term, a = γ, b = α (or -1: no balancing), from p and q = 1 - p (each to its own
 * relative precision: from logits σ(x) and σ(-x), never 1 - σ(x)), the logs of the clipped
 * p̂ = clip(p, ε, 1 - ε): lp = log p̂, lq = log(1 - p̂), and target t:
 * ℓ = w m^γ bce, m = 1 - p_t = t q + (1 - t) p, bce = -(t lp + (1 - t) lq), w = α t + (1 - α)(1 - t).
 */
function focal(p: number, q: number, lp: number, lq: number, t: number, g: number, al: number): number {
  const m = t * q + (1 - t) * p;
  const w = al < 0 ? 1 : al * t + (1 - al) * (1 - t);
  return w * (g === 0 ? 1 : Math.pow(m, g)) * -(t * lp + (1 - t) * lq);
}

/**
 * dℓ/dz = w [γ m^(γ-1) dm bce + m^γ r] for z = p or x: dm = dm/dz ((1 - 2t), times p q from logits)
 * and r = d bce/dz, (p̂ - t)/(p̂ (1 - p̂)) on probabilities, p - t from logits (with p - t =
 * p (1 - t) - q t, no cancellation), 0 where the clip holds (autograd's clamp passes the gradient at
 * its bounds, as here).
 */
function focalSlope(p: number, q: number, lp: number, lq: number, t: number, g: number, al: number, dm: number, r: number): number {
  const m = t * q + (1 - t) * p;
  const w = al < 0 ? 1 : al * t + (1 - al) * (1 - t);
  const f = g === 0 ? 1 : Math.pow(m, g);
  const df = g === 0 ? 0 : m > 0 ? g * Math.pow(m, g - 1) : g === 1 ? 1 : 0;
  return w * (df * dm * -(t * lp + (1 - t) * lq) + f * r);
}

/** log σ(z) = -softplus(-z), without overflow or cancellation. */
function logSigmoid(z: number): number {
  return -((z < 0 ? -z : 0) + Math.log1p(Math.exp(-(z < 0 ? -z : z))));
}

/** The clip's logs: at p̂ = ε, log ε and log(1 - ε); at p̂ = fl(1 - ε), its log and log(1 - fl(1 - ε)) (exact arguments). */
const LOG_EPS = Math.log(EPS);
const LOG_ONE_MINUS_EPS = Math.log1p(-EPS);
const LOG_TOP = Math.log(1 - EPS);
const LOG_TOP_REST = Math.log(1 - (1 - EPS));

/**
 * One kernel for both input kinds (elementwiseLoss takes one): a = γ on probabilities, a = -γ from
 * logits (-0 for γ = 0: the sign bit says which, exactly); b = α, or -1 without class balancing.
 * From logits p = σ(x), q = σ(-x) (Keras then clips p as a probability): inside the clip
 * lp = log σ(x), lq = log σ(-x), and dp/dx = p q.
 */
const focalKernel = kernel({
  term(x, y, a, b) {
    if (a > 0 || 1 / a > 0) {
      const c = x < EPS ? EPS : x > 1 - EPS ? 1 - EPS : x;
      return focal(x, 1 - x, Math.log(c), Math.log1p(-c), y, a, b);
    }
    const p = 1 / (1 + Math.exp(-x));
    const q = 1 / (1 + Math.exp(x));
    if (p < EPS) return focal(p, q, LOG_EPS, LOG_ONE_MINUS_EPS, y, -a, b);
    if (p > 1 - EPS) return focal(p, q, LOG_TOP, LOG_TOP_REST, y, -a, b);
    return focal(p, q, logSigmoid(x), logSigmoid(-x), y, -a, b);
  },
  slope(x, y, a, b, c) {
    if (a > 0 || 1 / a > 0) {
      const inside = x >= EPS && x <= 1 - EPS;
      const k = x < EPS ? EPS : x > 1 - EPS ? 1 - EPS : x;
      const r = inside ? (k * (1 - y) - (1 - k) * y) / (k * (1 - k)) : 0;
      return c * focalSlope(x, 1 - x, Math.log(k), Math.log1p(-k), y, a, b, 1 - 2 * y, r);
    }
    const p = 1 / (1 + Math.exp(-x));
    const q = 1 / (1 + Math.exp(x));
    const dm = (1 - 2 * y) * p * q;
    if (p < EPS) return c * focalSlope(p, q, LOG_EPS, LOG_ONE_MINUS_EPS, y, -a, b, dm, 0);
    if (p > 1 - EPS) return c * focalSlope(p, q, LOG_TOP, LOG_TOP_REST, y, -a, b, dm, 0);
    return c * focalSlope(p, q, logSigmoid(x), logSigmoid(-x), y, -a, b, dm, p * (1 - y) - q * y);
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
 * binaryFocalCrossEntropy([[0.6, 0.4], [0.4, 0.6]], [[0, 1], [0, 0]], { reduction: 'none' }) // [0.3298646634746958, 0.3298646634746958, 0.08173209980255854, 0.3298646634746958]
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
