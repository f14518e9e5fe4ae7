import { fail } from '../errors';
import { flag, numberOption, reduction, type OptionsOf } from '../options';
import { checkFinite } from '../tensor/flatten';
import type { Values } from '../tensor/types';
import { elementwiseLoss, kernel, readElements } from './elementwise';
import * as rateModule from './rateSlope';
import * as logDifferenceModule from '../math/logDifference';

// module-local bindings (see bceFromLogits)
const rateSlope = rateModule.rateSlope;
const logDifference = logDifferenceModule.logDifference;

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** The input holds log-rates $\log\lambda$ (default true); false: the rates λ >= 0 themselves. */
  logInput: flag(true),
  /** Adds Stirling's approximation of $\log y!$ for targets above 1 (default false). */
  full: flag(false),
  /** ε > 0 added to the rate inside the logarithm when `logInput` is false (default 1e-8). */
  eps: numberOption(1e-8, { above: 0 }),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type PoissonNllLossOptions = OptionsOf<typeof spec>;

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** e^u - 1 - u without the cancellation of expm1(u) - u for small u: u²/2 (1 + u/3 (1 + u/4 (...))). */
function expm1MinusX(u: number): number {
  if (!(Math.abs(u) < 0.5)) return Math.expm1(u) - u;
  let r = 1;
  for (let k = 18; k >= 3; k--) r = 1 + (r * u) / k;
  return 0.5 * u * u * r;
}

/** e^x - y, the slope on log-rates: near e^x = y (where it cancels) y expm1(x - log y), else as written. */
function expMinus(x: number, y: number): number {
  const e = Math.exp(x);
  return e > 0.25 * y && e < 4 * y ? y * Math.expm1(logDifference(x, y)) : e - y;
}

/**
 * Poisson negative log-likelihood (푸아송 음의 로그 가능도) of counts $y$ under predicted rates.
 * Elementwise over any shape, with the input $x = \log\lambda$ (`logInput`, default) or $x = \lambda$:
 *
 * $$\ell_i = e^{x_i} - y_i x_i \quad\text{or}\quad \ell_i = x_i - y_i \log(x_i + \epsilon),
 * \qquad + \left[y_i \log y_i - y_i + \tfrac12 \log(2\pi y_i)\right]_{y_i > 1}\ \text{if full}$$
 *
 * - `reduction`: `'mean'` (default) $\frac1n\sum\ell_i$, `'sum'` $\sum\ell_i$, `'none'` the $\ell_i$.
 * - `logInput`: default true; `full`: default false, adds Stirling's term (constant in $x$) where $y_i > 1$;
 *   `eps`: ε, default 1e-8, > 0, only used when `logInput` is false.
 * - Shapes: `input` and `target` any equal shape; with `logInput: false` a negative rate throws.
 * - Gradient: $\partial\ell_i/\partial x_i = e^{x_i} - y_i$ or $1 - y_i/(x_i + \epsilon)$, over $n$ for `'mean'`.
 * - PyTorch: `F.poisson_nll_loss(input, target, log_input=True, full=False, eps=1e-8)`.
 *
 * @example
 * poissonNllLoss([0, Math.log(2)], [1, 3]) // 0.4602792291600821
 * poissonNllLoss.grad([2], [4], { logInput: false }) // [-0.9999999900000001]
 */
export const poissonNllLoss = elementwiseLoss({
  name: 'poissonNllLoss',
  options: spec,
  // a: 1 for log-rates, 0 for rates, plus 2 when full; b = ε.
  // d/dx (e^x - y x) = e^x - y; d/dx (x - y log(x + ε)) = 1 - y / (x + ε); Stirling's term has no x.
  kernel: kernel({
    term(x, y, a, b) {
      if (a === 3 && y > 1) {
        // e^x - y x + y log y - y = y (e^u - 1 - u), u = x - log y: near the optimum e^x ≈ y the two
        // halves cancel to it, so it is computed as such there
        const e = Math.exp(x);
        if (e > 0.25 * y && e < 4 * y) return y * expm1MinusX(logDifference(x, y)) + (HALF_LOG_2PI + 0.5 * Math.log(y));
      }
      const l = a === 1 || a === 3 ? Math.exp(x) - y * x : x - y * Math.log(x + b);
      return a >= 2 && y > 1 ? l + (y * Math.log(y) - y + HALF_LOG_2PI + 0.5 * Math.log(y)) : l;
    },
    slope: (x, y, a, b, c) => c * (a === 1 || a === 3 ? expMinus(x, y) : rateSlope(x, y, b)),
  }),
  prepare(input: Values, target: Values, o) {
    const e = readElements('poissonNllLoss', input, target, o.reduction, (o.logInput ? 1 : 0) + (o.full ? 2 : 0), o.eps);
    if (!o.logInput) {
      const x = e.x;
      for (let i = 0; i < x.length; i++) {
        if (!(x[i]! >= 0)) {
          checkFinite('poissonNllLoss', 'input', x);
          fail('poissonNllLoss', `input[${i}]`, 'a rate >= 0 (logInput is false)', String(x[i]));
        }
      }
    }
    return e;
  },
});
