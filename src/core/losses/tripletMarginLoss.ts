import { overflow } from '../errors';
import { checkFinite } from '../tensor/finite';
import { flag, numberOption, reduction, type OptionsOf, type Parsed } from '../options';
import { gradScale, reduce } from '../reduce';
import type { FloatArray, GradOf, Values } from '../tensor/types';
import { defineMultiLoss } from './defineLoss';
import { readEmbeddings } from './embeddings';
import { normSlope, rowDistance } from './pairwiseDistance';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** m: how much nearer the positive must be than the negative (default 1). */
  margin: numberOption(1),
  /** The norm degree p > 0 of the distance (default 2; p >= 1 is a norm, 0 < p < 1 PyTorch's quasi-norm). */
  p: numberOption(2, { above: 0 }),
  /** ε >= 0 added to every difference before the norm, as PyTorch's pairwise_distance (default 1e-6). */
  eps: numberOption(1e-6, { min: 0 }),
  /** Use the smaller of d(a, n) and d(p, n) as the negative distance (default false). */
  swap: flag(false),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type TripletMarginLossOptions = OptionsOf<typeof spec>;

/**
 * Triplet margin loss (트리플렛 마진 손실): an anchor should be nearer its positive than its
 * negative by the margin $m$. Per row $i$ of `anchor` ($a$), `positive` ($p$), `negative` ($n$),
 * with PyTorch's pairwise distance $d(x, y) = \lVert x - y + \epsilon\rVert_p$ (ε added to each
 * difference):
 *
 * $$\ell_i = \max\bigl(0,\ m + d(a_i, p_i) - d^-_i\bigr),\qquad d^-_i = \begin{cases} \min\bigl(d(a_i, n_i),\ d(p_i, n_i)\bigr) & \text{swap} \\ d(a_i, n_i) & \text{otherwise} \end{cases}$$
 *
 * - `reduction` over rows: `'mean'` (default) $\frac1N\sum\ell_i$, `'sum'` $\sum\ell_i$, `'none'` the $\ell_i$.
 * - Options: `margin` $m$ (1, any finite number), `p` (2; any p > 0: p >= 1 is the p-norm,
 *   0 < p < 1 PyTorch's $(\sum_j|d_j|^p)^{1/p}$), `eps` ε (1e-6, >= 0), `swap` (false: the
 *   distance swap of Balntas et al., 2016).
 * - Shapes: `anchor`, `positive`, `negative` all `[N, D]`, or `[D]` for one triplet.
 * - Gradient: $\partial d/\partial x_j = \operatorname{sign}(\delta_j)\,(|\delta_j|/d)^{p-1}$ with
 *   $\delta = x - y + \epsilon$ (0 where $d = 0$), $-\partial d/\partial x$ for $y$; where
 *   $m + d(a, p) - d^- \ge 0$ (the gradient passes at the kink, as PyTorch's `clamp_min`), else 0;
 *   a tie $d(a, n) = d(p, n)$ under swap sends half to each (PyTorch's `min` backward); over $N$
 *   for `'mean'`. `.grad` returns `[d anchor, d positive, d negative]`.
 * - Accuracy: distances are computed without intermediate overflow or underflow (see
 *   pairwiseDistance.ts); a distance that overflows float64 throws.
 * - PyTorch: `F.triplet_margin_loss(anchor, positive, negative, margin=1, p=2, eps=1e-6, swap=False)`.
 *
 * @example
 * tripletMarginLoss([0, 0], [0, 1], [2, 0], { eps: 0 }) // 0
 * tripletMarginLoss([[0, 0], [0, 0]], [[0, 2], [3, 4]], [[1, 0], [1, 0]], { eps: 0, reduction: 'none' }) // Float64Array [2, 5]
 * tripletMarginLoss.grad([0, 0], [0, 2], [1, 0], { eps: 0 }) // [[1, -1], [0, 1], [-1, 0]]
 */
export const tripletMarginLoss = defineMultiLoss<[anchor: Values, positive: Values, negative: Values], [GradOf<Values>, GradOf<Values>, GradOf<Values>], typeof spec, Prepared>({
  name: 'tripletMarginLoss',
  options: spec,
  args: ['anchor', 'positive', 'negative'],
  differentiable: [0, 1, 2],
  prepare,
  sizes: (c) => [c.a.length, c.a.length, c.a.length],
  value: (c) => pass(c, null),
  grad(c, outs) {
    pass(c, outs);
  },
  valueAndGrad: (c, outs) => pass(c, outs),
  writesEveryElement: true,
});

type Prepared = ReturnType<typeof prepare>;

/** The reduced loss (per-row items for `'none'`), and with `outs` the three gradients. */
function pass(c: Prepared, outs: FloatArray[] | null): number | Float64Array {
  const fn = 'tripletMarginLoss';
  const { a, pos, neg, rows, cols, margin, p, eps, swap } = c;
  const scale = gradScale(fn, c.reduction, rows);
  const items = c.reduction === 'none' ? new Float64Array(rows) : null;
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    const dap = finite(fn, c, 'anchor-positive', r, rowDistance(a, o, pos, o, cols, p, eps));
    const dan = finite(fn, c, 'anchor-negative', r, rowDistance(a, o, neg, o, cols, p, eps));
    const dpn = swap ? finite(fn, c, 'positive-negative', r, rowDistance(pos, o, neg, o, cols, p, eps)) : dan;
    // d- = min(d(a, n), d(p, n)); a tie sends half the gradient to each, as PyTorch's minimum
    const wan = dan < dpn ? 1 : dan === dpn ? (swap ? 0.5 : 1) : 0;
    const z = margin + dap - Math.min(dan, dpn);
    const l = z > 0 ? z : 0;
    total += l;
    if (items) items[r] = l;
    if (outs) tripletGrad(c, o, z >= 0 ? scale : 0, dap, dan, dpn, wan, outs as [FloatArray, FloatArray, FloatArray]);
  }
  return reduce(fn, c.reduction, total, rows, items);
}

/**
 * One row's three gradients, each element written once (k = 0 for an inactive row):
 * d l / d(a, p, n) = ∂d(a, p) - w · ∂d(a, n) - (1 - w) · ∂d(p, n), w the share of d(a, n) in d-.
 */
function tripletGrad(c: Prepared, o: number, k: number, dap: number, dan: number, dpn: number, wan: number, [ga, gp, gn]: [FloatArray, FloatArray, FloatArray]): void {
  const { a, pos, neg, cols, p, eps, swap } = c;
  const end = o + cols;
  if (k === 0) {
    ga.fill(0, o, end);
    gp.fill(0, o, end);
    gn.fill(0, o, end);
    return;
  }
  const wpn = swap ? 1 - wan : 0;
  if (p === 2) {
    // ∂d(x, y)/∂x = (x - y + eps)/d(x, y): the row's factors k w / d folded once (0 where d = 0)
    const cap = dap > 0 ? k / dap : 0;
    const can = dan > 0 ? (k * wan) / dan : 0;
    const cpn = swap && dpn > 0 ? (k * wpn) / dpn : 0;
    for (let j = o; j < end; j++) {
      const sap = cap * (a[j]! - pos[j]! + eps);
      const san = can * (a[j]! - neg[j]! + eps);
      const spn = cpn * (pos[j]! - neg[j]! + eps);
      ga[j] = sap - san;
      gp[j] = 0 - sap - spn;
      gn[j] = san + spn;
    }
    return;
  }
  for (let j = o; j < end; j++) {
    const sap = normSlope(a[j]! - pos[j]! + eps, dap, p);
    const san = normSlope(a[j]! - neg[j]! + eps, dan, p);
    const spn = swap ? normSlope(pos[j]! - neg[j]! + eps, dpn, p) : 0;
    ga[j] = k * (sap - wan * san);
    gp[j] = k * (0 - sap - wpn * spn);
    gn[j] = k * (wan * san + wpn * spn);
  }
}

/**
 * A distance that is not finite: a NaN or ±Infinity in the inputs (read without a scan, this
 * pass sees them), reported as such, or else an overflow, which throws too.
 */
function finite(fn: string, c: Prepared, which: string, row: number, d: number): number {
  if (d < Infinity) return d;
  checkFinite(fn, 'anchor', c.a);
  checkFinite(fn, 'positive', c.pos);
  checkFinite(fn, 'negative', c.neg);
  return overflow(fn, `the ${which} distance of row ${row}`, d);
}

function prepare(args: readonly unknown[], o: Parsed<typeof spec>) {
  // no finiteness scan here: a NaN or ±Infinity makes its row's distance non-finite (see finite)
  const e = readEmbeddings('tripletMarginLoss', ['anchor', 'positive', 'negative'], args, { deferScan: true });
  const [a, pos, neg] = e.data as [FloatArray, FloatArray, FloatArray];
  return { a, pos, neg, rows: e.rows, cols: e.cols, reduction: o.reduction, margin: o.margin, p: o.p, eps: o.eps, swap: o.swap };
}
