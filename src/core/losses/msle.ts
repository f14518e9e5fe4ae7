import { reduction, type OptionsOf } from '../options';
import { elementwiseLoss, kernel, readElements } from './elementwise';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type MsleOptions = OptionsOf<typeof spec>;

/** keras.backend.epsilon(): both arguments are floored at it before the logarithm. */
const EPS = 1e-7;

/**
 * log(1 + X) - log(1 + Y) for X, Y >= ε. Where X and Y are within a factor 2 the difference of two
 * rounded logarithms loses its digits, and log1p((X - Y) / (1 + Y)) keeps them (X - Y exact there,
 * 1 + Y rounded once); elsewhere the logarithms differ enough to subtract.
 */
function logRatio(X: number, Y: number): number {
  return X > 0.5 * Y && X < 2 * Y ? Math.log1p((X - Y) / (1 + Y)) : Math.log1p(X) - Math.log1p(Y);
}

/**
 * Mean squared logarithmic error (평균 제곱 로그 오차): the squared error of $\log(1 + \cdot)$, so
 * relative errors count rather than absolute ones. Elementwise over any shape:
 *
 * $$\ell_i = \left(\log(1 + \max(x_i, \epsilon)) - \log(1 + \max(y_i, \epsilon))\right)^2, \qquad \epsilon = 10^{-7}$$
 *
 * - `reduction`: `'mean'` (default) $\frac1n\sum\ell_i$, `'sum'` $\sum\ell_i$, `'none'` the $\ell_i$.
 * - Shapes: `input` and `target` any equal shape; values below ε count as ε (as Keras).
 * - Gradient: $\partial\ell_i/\partial x_i = 2\,(\log(1 + x_i) - \log(1 + \max(y_i, \epsilon)))/(1 + x_i)$ for
 *   $x_i > \epsilon$, 0 where the floor holds; over $n$ for `'mean'`.
 * - Accuracy: `Math.log1p` where Keras writes `log(max(x, ε) + 1)` (the same function, exact near 0).
 * - Keras: `keras.losses.mean_squared_logarithmic_error` / `MeanSquaredLogarithmicError` (mean over the
 *   last axis, then over samples: the same mean).
 *
 * @example
 * msle([Math.E - 1, 0], [0, 0]) // 0.49999990000001004
 * msle.grad([Math.E - 1], [0]) // [0.7357588087670002]
 */
export const msle = elementwiseLoss({
  name: 'msle',
  options: spec,
  // d = log1p(max(x, ε)) - log1p(max(y, ε)); d/dx d² = 2 d / (1 + x) above the floor, 0 on it
  kernel: kernel({
    term(x, y) {
      const d = logRatio(x > EPS ? x : EPS, y > EPS ? y : EPS);
      // the floor would hide NaN and -Infinity; x - x and y - y (0 or NaN) keep them in the total
      return d * d + (x - x) + (y - y);
    },
    slope(x, y, _a, _b, c) {
      if (!(x > EPS)) return x === x ? 0 : x;
      return (2 * c * logRatio(x, y > EPS ? y : EPS)) / (1 + x);
    },
  }),
  prepare: (input, target, o) => readElements('msle', input, target, o.reduction),
});
