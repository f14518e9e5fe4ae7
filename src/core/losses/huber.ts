import { numberOption, reduction, type OptionsOf } from '../options';
import { elementwiseLoss, kernel, readElements } from './elementwise';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** δ > 0: where the loss turns from quadratic to linear (default 1). */
  delta: numberOption(1, { above: 0 }),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type HuberOptions = OptionsOf<typeof spec>;

/**
 * Huber loss (후버 손실): squared error for small differences, absolute error beyond δ,
 * so outliers pull with a bounded force. Elementwise over any shape, $d_i = x_i - y_i$:
 *
 * $$\ell_i = \begin{cases} \frac12 d_i^2 & |d_i| < \delta \\ \delta\,(|d_i| - \frac12\delta) & \text{otherwise} \end{cases}$$
 *
 * - `reduction`: `'mean'` (default) $\frac1n\sum\ell_i$, `'sum'` $\sum\ell_i$, `'none'` the $\ell_i$.
 * - `delta`: δ, default 1, must be > 0. At δ = 1 this equals PyTorch's `smooth_l1_loss`.
 * - Shapes: `input` and `target` any equal shape.
 * - Gradient: $\partial\ell_i/\partial x_i = \operatorname{clamp}(d_i, -\delta, \delta)$, over $n$ for `'mean'`;
 *   continuous, so $|d_i| = \delta$ needs no convention.
 * - Accuracy: in the linear zone $|d| - \delta/2 \ge \delta/2$, so no digits cancel; sums and range as mse.
 * - PyTorch: `F.huber_loss(input, target, delta=1.0)`; Keras: `Huber(delta=1.0)`.
 *
 * @example
 * huber([0, 0], [0.5, 3]) // 1.3125
 * huber.grad([0, 0], [0.5, 3], { delta: 2 }) // [-0.25, -1]
 */
export const huber = elementwiseLoss({
  name: 'huber',
  options: spec,
  // a = δ; d/dx: d inside the quadratic zone, ±δ outside: clamp(d, -δ, δ)
  kernel: kernel({
    // m = min(d, δ): m (d - m/2) is (d/2) d below δ (d - d/2 = d/2 exactly) and δ (d - δ/2) from it, the same
    // bits as the two-branch form, in one product (fewer SIMD operations in the WebAssembly kernel)
    term(x, y, a) {
      const d = Math.abs(x - y);
      const m = a < d ? a : d;
      return m * (d - 0.5 * m);
    },
    // comparisons rather than Math.min / Math.max (see bceFromLogits); NaN passes through
    slope(x, y, a, _b, c) {
      const d = x - y;
      return c * (d > a ? a : d < -a ? -a : d);
    },
    wasm: 'huberF32',
  }),
  prepare: (input, target, o) => readElements('huber', input, target, o.reduction, o.delta),
});
