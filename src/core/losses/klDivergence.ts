import { fail } from '../errors';
import * as logModule from '../math/fastLog';
import { reduction, type OptionsOf } from '../options';
import { gradScale, reduce } from '../reduce';
import { assertSameShape, toFlat, toRows } from '../tensor/flatten';
import { assertProbabilities } from '../tensor/probabilities';
import type { FloatArray, Values } from '../tensor/types';
import { defineLoss } from './defineLoss';
import { checkElements, elements, kernel, sumElements, type Elements } from './elementwise';

// Module-local bindings of the imports used per element (see binaryCrossEntropy).
const fastLog = logModule.fastLog;
const fastLog1p = logModule.fastLog1p;
const MIN_NORMAL = logModule.MIN_NORMAL;

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
 * $$\ell_{ij} = p_{ij}\,\log\frac{p_{ij}}{q_{ij}}, \qquad 0 \log\tfrac{0}{q} = 0$$
 *
 * - `reduction`: `'batchmean'` (default) $\frac1N\sum_{ij}\ell_{ij}$, the true KL divergence per
 *   sample; `'sum'` $\sum\ell_{ij}$; `'mean'` $\frac1{NC}\sum\ell_{ij}$ (over all elements);
 *   `'none'` the elementwise $\ell_{ij}$.
 * - Shapes: `[N, C]` (N distributions), or `[C]` for one distribution, so `'batchmean'` of a
 *   1-D input is its full divergence (PyTorch would divide by C there); `target` the same shape.
 * - Input: both arguments in [0, 1]. $q_{ij} = 0$ where $p_{ij} > 0$ makes the divergence infinite
 *   and throws, naming the element. Rows are not required to sum to 1.
 * - Accuracy: $\log(p/q)$ is $\operatorname{log1p}((p - q)/q)$ where $p/q \in (\frac12, 2)$ ($p - q$ is
 *   then exact), $\log(p/q)$ elsewhere, and $\log p - \log q$ where $p/q$ over- or underflows. A
 *   reduced divergence is summed as $\sum [p\log\frac pq - (p - q)] + \sum (p - q)$, the first terms
 *   >= 0 (by a series where $p \approx q$), so nearly equal distributions, whose terms cancel, keep
 *   their digits (`[0.5 + 2^-30, 0.5 - 2^-30]` against `[0.5, 0.5]` gives $-\frac12\log(1 - 2^{-58})$).
 * - Gradient with respect to $q$: $\partial\ell_{ij}/\partial q_{ij} = -p_{ij}/q_{ij}$ (0 where
 *   $p_{ij} = 0$), over $N$ for `'batchmean'` and $NC$ for `'mean'`. Where that overflows
 *   float64 (a denormal $q$ under a larger $p$) the gradient call throws, naming the element.
 * - PyTorch: `F.kl_div(q.log(), p, reduction='batchmean')`: PyTorch takes $\log q$, losslab takes
 *   $q$ (and its gradient is with respect to $q$, not $\log q$). Keras: `KLDivergence()`
 *   (= `'batchmean'`, but Keras clips both arguments to [1e-7, 1]).
 *
 * @example
 * klDivergence([0.5, 0.5], [0.9, 0.1]) // 0.3680642071684971
 * klDivergence.grad([0.5, 0.5], [0.9, 0.1]) // [-1.8, -0.2]
 */
export const klDivergence = defineLoss<Values, typeof spec, Elements>({
  name: 'klDivergence',
  options: spec,
  prepare,
  value: (c) => pass(c, null, true),
  grad(c, out) {
    pass(c, out, false);
  },
  valueAndGrad: (c, out) => pass(c, out, true),
  writesEveryElement: true,
});

/**
 * One pass (two for a reduced value). The sum of terms p log(p/q) of both signs that nearly
 * cancel (nearly equal distributions: terms 1e-9, divergence 2e-18) is taken as
 *   Σ p log(p/q) = Σ [p log(p/q) - (p - q)] + Σ (p - q):
 * the first terms are >= 0 (Bregman's form of the divergence, see bregman) and each accurate to
 * a few ulps, the second exact or nearly (p - q is exact for p near q), and both sums compensated.
 */
function pass(c: Elements, out: FloatArray | null, wantValue: boolean): number | Float64Array {
  const fn = 'klDivergence';
  const s = out ? gradScale(fn, c.reduction, c.count) : 0;
  if (wantValue && c.reduction === 'none') {
    const items = new Float64Array(c.size);
    const sum = sumElements(divergence, c, out, items, s);
    if (sum - sum !== 0) checkElements(fn, c, out);
    return items;
  }
  const total = sumElements(bregman, c, out, null, s);
  if (total - total !== 0) checkElements(fn, c, out);
  if (!wantValue) return 0;
  return reduce(fn, c.reduction, total + sumElements(difference, c, null, null, 0), c.count, null);
}

/** d/dq p log(p/q) = -p / q, as c (p / q), or (c p) / q where p / q alone overflows; 0 where p = 0. */
function klSlope(q: number, p: number, c: number): number {
  if (p === 0) return 0;
  const r = p / q;
  return r < Infinity ? -c * r : -(c * p) / q;
}

/** ℓ = p log(p/q) (x = q the input, y = p the target), for the per-element values. */
const divergence = kernel({
  term: (q, p) => (p === 0 ? 0 : p * logRatio(p, q)),
  slope: (q, p, _a, _b, c) => klSlope(q, p, c),
});

/**
 * p log(p/q) - (p - q) >= 0, with the divergence's gradient. With u = (p - q)/q (p - q exact near
 * q), it is q φ(u), φ(u) = (1 + u) log1p(u) - u = u² Σ_k (-u)^k / ((k + 1)(k + 2)): the series
 * for |u| < 1/16 (14 terms, below 2^-53 of the sum), the formula above that, where at most 5 bits cancel.
 */
const bregman = kernel({
  term(q, p) {
    const u = (p - q) / q;
    if (!(Math.abs(u) < 1 / 16)) return (p === 0 ? 0 : p * logRatio(p, q)) - (p - q);
    let f = 1 / 210;
    for (let k = 12; k >= 0; k--) f = 1 / ((k + 1) * (k + 2)) - u * f;
    return q * u * u * f;
  },
  slope: (q, p, _a, _b, c) => klSlope(q, p, c),
});

/** p - q, the rest of the divergence after bregman (value only). */
const difference = kernel({
  term: (q, p) => p - q,
  slope: () => 0,
});

/**
 * log(p / q) for p, q in (0, 1]: near 1, log1p((p - q) / q) with p - q exact (Sterbenz, since
 * q/2 <= p <= 2q), so p ≈ q keeps its digits; elsewhere |log(p/q)| > log 2 and log of the
 * rounded ratio is within an ulp; log p - log q when the ratio over- or underflows (then the
 * logs differ by more than 700, so nothing cancels).
 */
function logRatio(p: number, q: number): number {
  const r = p / q;
  if (r > 0.5 && r < 2) return fastLog1p((p - q) / q);
  if (r >= MIN_NORMAL && r < Infinity) return fastLog(r);
  return Math.log(p) - Math.log(q);
}

function prepare(input: Values, target: Values, { reduction }: { reduction: KlReduction }): Elements {
  const fn = 'klDivergence';
  const q = toRows(fn, 'input', input);
  const p = toFlat(fn, 'target', target);
  assertSameShape(fn, q, 'input', p, 'target');
  assertProbabilities(fn, 'input', q.data);
  assertProbabilities(fn, 'target', p.data);
  assertSupport(fn, q.data, p.data);
  const batchmean = reduction === 'batchmean';
  return elements(q.data, p.data, null, 1, null, 0, 0, batchmean ? 'mean' : reduction, batchmean ? q.rows : q.data.length);
}

/** q must be positive wherever p is: otherwise the divergence is infinite. */
function assertSupport(fn: string, q: FloatArray, p: FloatArray): void {
  for (let i = 0; i < q.length; i++) {
    if (q[i] === 0 && p[i]! > 0) fail(fn, `input[${i}]`, `> 0 where target is > 0 (target[${i}] = ${p[i]}; the divergence is infinite)`, '0');
  }
}
