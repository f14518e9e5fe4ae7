import { fail } from '../errors';
import { reduction, type OptionsOf, type Parsed } from '../options';
import { gradScale, reduce } from '../reduce';
import { assertSameShape, toFlat, toRows } from '../tensor/flatten';
import { assertProbabilities } from '../tensor/probabilities';
import type { FloatArray, Values } from '../tensor/types';
import { defineLoss, type ReductionOptions } from './defineLoss';

type KlReduction = 'batchmean' | 'sum' | 'mean' | 'none';

const spec = {
  /** How the elementwise terms are combined: `'batchmean'` (default, the divergence per sample), `'sum'`, `'mean'` or `'none'`. */
  reduction: reduction<KlReduction>(['batchmean', 'sum', 'mean', 'none']),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type KlDivergenceOptions = OptionsOf<typeof spec>;

/**
 * Kullback-Leibler divergence (쿨백-라이블러 발산) $D_{KL}(p\,\|\,q)$ of the predicted
 * distribution $q$ (`input`) from the true distribution $p$ (`target`), both probabilities:
 *
 * $$\ell_{ij} = p_{ij}\,(\log p_{ij} - \log q_{ij}), \qquad 0 \log\tfrac{0}{q} = 0$$
 *
 * - `reduction`: `'batchmean'` (default) $\frac1N\sum_{ij}\ell_{ij}$, the true KL divergence per
 *   sample; `'sum'` $\sum\ell_{ij}$; `'mean'` $\frac1{NC}\sum\ell_{ij}$ (over all elements);
 *   `'none'` the elementwise $\ell_{ij}$.
 * - Shapes: `[N, C]` (N distributions), or `[C]` for one distribution, so `'batchmean'` of a
 *   1-D input is its full divergence (PyTorch would divide by C there); `target` the same shape.
 * - Input: both arguments in [0, 1]. $q_{ij} = 0$ where $p_{ij} > 0$ makes the divergence infinite
 *   and throws, naming the element. Rows are not required to sum to 1.
 * - Gradient with respect to $q$: $\partial\ell_{ij}/\partial q_{ij} = -p_{ij}/q_{ij}$ (0 where
 *   $p_{ij} = 0$), over $N$ for `'batchmean'` and $NC$ for `'mean'`.
 * - PyTorch: `F.kl_div(q.log(), p, reduction='batchmean')`: PyTorch takes $\log q$, losslab takes
 *   $q$ (and its gradient is with respect to $q$, not $\log q$). Keras: `KLDivergence()`
 *   (= `'batchmean'`, but Keras clips both arguments to [1e-7, 1]).
 *
 * @example
 * klDivergence([0.5, 0.5], [0.9, 0.1]) // 0.36806420716849714
 * klDivergence.grad([0.5, 0.5], [0.9, 0.1]) // [-1.8, -0.2]
 */
export const klDivergence = defineLoss<Values, typeof spec, ReturnType<typeof prepare>>({
  name: 'klDivergence',
  options: spec,
  prepare,
  value({ q, p, size, reduction, rows }) {
    const items = reduction === 'none' ? new Float64Array(size) : null;
    let total = 0;
    for (let i = 0; i < size; i++) {
      // p (log p - log q) rather than p log(p/q): p/q overflows for tiny q
      const l = p[i] === 0 ? 0 : p[i]! * (Math.log(p[i]!) - Math.log(q[i]!));
      total += l;
      if (items) items[i] = l;
    }
    return reduction === 'batchmean' ? reduce('klDivergence', 'mean', total, rows, null) : reduce('klDivergence', reduction, total, size, items);
  },
  // d/dq p (log p - log q) = -p / q
  grad({ q, p, size, reduction, rows }, out) {
    const s = reduction === 'batchmean' ? gradScale('klDivergence', 'mean', rows) : gradScale('klDivergence', reduction, size);
    for (let i = 0; i < size; i++) out[i] = p[i] === 0 ? 0 : (-s * p[i]!) / q[i]!;
  },
});

function prepare(input: Values, target: Values, { reduction }: Parsed<typeof spec>) {
  const fn = 'klDivergence';
  const q = toRows(fn, 'input', input);
  const p = toFlat(fn, 'target', target);
  assertSameShape(fn, q, 'input', p, 'target');
  assertProbabilities(fn, 'input', q.data);
  assertProbabilities(fn, 'target', p.data);
  assertSupport(fn, q.data, p.data);
  return { q: q.data, p: p.data, size: q.data.length, rows: q.rows, reduction };
}

/** q must be positive wherever p is: otherwise the divergence is infinite. */
function assertSupport(fn: string, q: FloatArray, p: FloatArray): void {
  for (let i = 0; i < q.length; i++) {
    if (q[i] === 0 && p[i]! > 0) fail(fn, `input[${i}]`, `> 0 where target is > 0 (target[${i}] = ${p[i]}; the divergence is infinite)`, '0');
  }
}
