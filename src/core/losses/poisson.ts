import { fail } from '../errors';
import { reduction, type OptionsOf } from '../options';
import { checkFinite } from '../tensor/flatten';
import type { Values } from '../tensor/types';
import { elementwiseLoss, kernel, readElements } from './elementwise';
import * as rateModule from './rateSlope';

// module-local binding (see bceFromLogits)
const rateSlope = rateModule.rateSlope;

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type PoissonOptions = OptionsOf<typeof spec>;

/** keras.backend.epsilon(): added to the rate inside the logarithm. */
const EPS = 1e-7;

/**
 * Poisson loss (푸아송 손실): the negative log-likelihood of counts $y$ under Poisson rates $x$,
 * up to the term $\log y!$ that does not depend on $x$. Elementwise over any shape:
 *
 * $$\ell_i = x_i - y_i \log(x_i + \epsilon), \qquad \epsilon = 10^{-7}$$
 *
 * - `reduction`: `'mean'` (default) $\frac1n\sum\ell_i$, `'sum'` $\sum\ell_i$, `'none'` the $\ell_i$.
 * - Shapes: `input` (rates, >= 0) and `target` (counts) any equal shape; a negative rate throws.
 * - Gradient: $\partial\ell_i/\partial x_i = 1 - y_i/(x_i + \epsilon)$, over $n$ for `'mean'`.
 * - Keras: `keras.losses.poisson` / `Poisson` (mean over the last axis, then over samples: the same
 *   mean); PyTorch's `F.poisson_nll_loss(input, target, log_input=False, eps=1e-7)` is the same loss
 *   (see `poissonNllLoss`).
 *
 * @example
 * poisson([1, 2], [1, 0]) // 1.4999999500000025
 * poisson.grad([2], [4]) // [-0.999999900000005]
 */
export const poisson = elementwiseLoss({
  name: 'poisson',
  options: spec,
  // d/dx (x - y log(x + ε)) = 1 - y / (x + ε)
  kernel: kernel({
    term: (x, y) => x - y * Math.log(x + EPS),
    slope: (x, y, _a, _b, c) => c * rateSlope(x, y, EPS),
  }),
  prepare(input: Values, target: Values, o) {
    const e = readElements('poisson', input, target, o.reduction);
    const x = e.x;
    for (let i = 0; i < x.length; i++) {
      if (!(x[i]! >= 0)) {
        checkFinite('poisson', 'input', x);
        fail('poisson', `input[${i}]`, 'a rate >= 0', String(x[i]));
      }
    }
    return e;
  },
});
