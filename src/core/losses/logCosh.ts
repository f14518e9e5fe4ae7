import { reduction, type OptionsOf } from '../options';
import { elementwiseLoss, kernel, readElements } from './elementwise';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type LogCoshOptions = OptionsOf<typeof spec>;

const LN2 = Math.LN2;

/**
 * Log-cosh loss (로그 코사인 손실): about $\frac12 d^2$ for small differences and $|d| - \ln 2$ for
 * large ones, smooth everywhere. Elementwise over any shape, $d_i = x_i - y_i$:
 *
 * $$\ell_i = \log\cosh d_i = |d_i| + \log\left(1 + e^{-2|d_i|}\right) - \ln 2$$
 *
 * - `reduction`: `'mean'` (default) $\frac1n\sum\ell_i$, `'sum'` $\sum\ell_i$, `'none'` the $\ell_i$.
 * - Shapes: `input` and `target` any equal shape.
 * - Gradient: $\partial\ell_i/\partial x_i = \tanh d_i$, over $n$ for `'mean'`.
 * - Accuracy: the right-hand form never overflows ($\cosh$ does beyond |d| = 710); below |d| = 1, where its
 *   terms cancel, $\log(1 + 2\sinh^2(d/2))$ is used instead (the same value, full relative precision).
 * - Keras: `keras.losses.log_cosh` / `LogCosh` (mean over the last axis, then over samples: the same mean).
 *
 * @example
 * logCosh([0, 0], [1, -2]) // 0.8793917889204459
 * logCosh.grad([0], [1]) // [-0.7615941559557649]
 */
export const logCosh = elementwiseLoss({
  name: 'logCosh',
  options: spec,
  // log cosh d = log((e^d + e^-d)/2) = |d| + log1p(e^(-2|d|)) - ln 2 (softplus(-2|d|) = log1p(e^(-2|d|)));
  // d/dx: tanh d
  kernel: kernel({
    term(x, y) {
      const d = Math.abs(x - y);
      if (d >= 1) return d + Math.log1p(Math.exp(-2 * d)) - LN2;
      // below 1 that form cancels (d + ln 2 - d... - ln 2); cosh d = 1 + 2 sinh²(d/2) keeps every digit
      const s = Math.sinh(0.5 * d);
      return Math.log1p(2 * s * s);
    },
    slope: (x, y, _a, _b, c) => c * Math.tanh(x - y),
  }),
  prepare: (input, target, o) => readElements('logCosh', input, target, o.reduction),
});
