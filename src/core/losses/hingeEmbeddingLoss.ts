import { fail } from '../errors';
import { numberOption, reduction, type OptionsOf } from '../options';
import { checkFinite } from '../tensor/flatten';
import type { Values } from '../tensor/types';
import { elementwiseLoss, kernel, readElements } from './elementwise';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** The margin Δ that inputs of dissimilar pairs (target -1) are pushed beyond (default 1). */
  margin: numberOption(1),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type HingeEmbeddingLossOptions = OptionsOf<typeof spec>;

/**
 * Hinge embedding loss (힌지 임베딩 손실): for distances $x$ of pairs labelled similar ($y = 1$) or
 * dissimilar ($y = -1$), the distance itself or its shortfall from the margin. Elementwise:
 *
 * $$\ell_i = \begin{cases} x_i & y_i = 1 \\ \max(0, \Delta - x_i) & y_i = -1 \end{cases}$$
 *
 * - `reduction`: `'mean'` (default) $\frac1n\sum\ell_i$, `'sum'` $\sum\ell_i$, `'none'` the $\ell_i$.
 * - `margin`: Δ, default 1.
 * - Shapes: `input` and `target` (labels, each -1 or 1) any equal shape.
 * - Gradient: $\partial\ell_i/\partial x_i = 1$ for $y_i = 1$, $-1$ for $y_i = -1$ while $x_i \le \Delta$, else 0
 *   ($-1$ at $x_i = \Delta$ too, as PyTorch's autograd); over $n$ for `'mean'`.
 * - PyTorch: `F.hinge_embedding_loss(input, target, margin=1.0)`.
 *
 * @example
 * hingeEmbeddingLoss([0.3, 0.4, 2], [1, -1, -1]) // 0.3
 * hingeEmbeddingLoss.grad([0.3, 0.4, 2], [1, -1, -1], { reduction: 'sum' }) // [1, -1, 0]
 */
export const hingeEmbeddingLoss = elementwiseLoss({
  name: 'hingeEmbeddingLoss',
  options: spec,
  // a = Δ; d/dx x = 1; d/dx max(0, Δ - x) = -1 where Δ - x >= 0 (PyTorch's clamp_min passes the gradient at Δ)
  kernel: kernel({
    term: (x, y, a) => (y > 0 ? x : a - x > 0 ? a - x : 0 * x),
    slope: (x, y, a, _b, c) => (y > 0 ? c : a - x >= 0 ? -c : 0 * x),
  }),
  prepare(input: Values, target: Values, o) {
    const e = readElements('hingeEmbeddingLoss', input, target, o.reduction, o.margin);
    const y = e.y;
    for (let i = 0; i < y.length; i++) {
      if (y[i] !== 1 && y[i] !== -1) {
        checkFinite('hingeEmbeddingLoss', 'target', y);
        fail('hingeEmbeddingLoss', `target[${i}]`, '-1 or 1', String(y[i]));
      }
    }
    return e;
  },
});
