import { numberOption, reduction, type OptionsOf } from '../options';
import { elementwiseLoss, kernel, readElements } from './elementwise';
import { elementwiseWasmBlocks } from './elementwiseWasm';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** β >= 0: where the loss turns from quadratic to linear (default 1); 0 gives the absolute error. */
  beta: numberOption(1, { min: 0 }),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type SmoothL1LossOptions = OptionsOf<typeof spec>;

/**
 * Smooth L1 loss (스무스 L1 손실): the absolute error with its kink at 0 rounded off into a
 * parabola of width β. Elementwise over any shape, $d_i = x_i - y_i$:
 *
 * $$\ell_i = \begin{cases} \frac{1}{2\beta} d_i^2 & |d_i| < \beta \\ |d_i| - \frac12\beta & \text{otherwise} \end{cases}$$
 *
 * - `reduction`: `'mean'` (default) $\frac1n\sum\ell_i$, `'sum'` $\sum\ell_i$, `'none'` the $\ell_i$.
 * - `beta`: β, default 1, must be >= 0; β = 0 is the absolute error (`mae`), as in PyTorch.
 *   It is `huber` with δ = β, divided by β.
 * - Shapes: `input` and `target` any equal shape.
 * - Gradient: $\partial\ell_i/\partial x_i = \operatorname{clamp}(d_i/\beta, -1, 1)$, over $n$ for `'mean'`;
 *   at β = 0 it is $\operatorname{sign}(d_i)$, 0 at $d_i = 0$ (PyTorch's).
 * - PyTorch: `F.smooth_l1_loss(input, target, beta=1.0)`.
 *
 * @example
 * smoothL1Loss([0, 0], [0.5, 3]) // 1.3125
 * smoothL1Loss.grad([0, 0], [0.5, 3], { beta: 2 }) // [-0.125, -0.5]
 */
export const smoothL1Loss = elementwiseLoss({
  name: 'smoothL1Loss',
  options: spec,
  // a = β; d/dx: d/β inside the quadratic zone, ±1 outside: clamp(d/β, -1, 1) (sign(d) for β = 0)
  kernel: kernel({
    term(x, y, a) {
      const d = Math.abs(x - y);
      // (d / 2) (d / β) rather than d² / 2β: d² under- or overflows where the loss does not (β = 1e-300, 1e300)
      return d < a ? 0.5 * d * (d / a) : d - 0.5 * a;
    },
    // comparisons rather than Math.min / Math.max (see bceFromLogits); NaN passes through
    slope(x, y, a, _b, c) {
      const d = x - y;
      return c * (d > a ? 1 : d < -a ? -1 : a === 0 ? 0 : d / a);
    },
    wasm: 'smoothL1F32',
  }),
  prepare: (input, target, o) => readElements('smoothL1Loss', input, target, o.reduction, o.beta),
  // At β = 1 (PyTorch's default) the loss is huber's at δ = 1 bit for bit ((0.5 d)(d / 1) = (0.5 d) d,
  // d - 0.5 = 1 (d - 0.5), and the same clamp), so its WebAssembly kernel runs, without smoothL1's division.
  fast: (c, out, items, s) => elementwiseWasmBlocks(c.a === 1 ? 'huberF32' : 'smoothL1F32', c, out, items, s),
});
