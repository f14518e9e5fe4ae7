import { overflow } from '../errors';
import { checkFinite } from '../tensor/finite';
import { flag, numberOption, reduction, type OptionsOf, type Parsed } from '../options';
import { gradScale, reduce } from '../reduce';
import type { FloatArray, GradOf, Values } from '../tensor/types';
import { defineMultiLoss } from './defineLoss';
import { readEmbeddings } from './embeddings';
import { normSlope, rowDistance } from './pairwiseDistance';
import { tripletWasmRows } from './tripletMarginWasm';
import { RunningTotal } from '../math/twoSum';

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
  // p = 2: each slope δ_j / d has |δ_j| <= d, so |g| <= 2 |scale| <= 2 (other p may exceed float32: 0 < p < 1)
  gradientsChecked: (c) => c.p === 2,
});

type Prepared = ReturnType<typeof prepare>;

/** The reduced loss (per-row items for `'none'`), and with `outs` the three gradients. */
function pass(c: Prepared, outs: FloatArray[] | null): number | Float64Array {
  const scale = gradScale('tripletMarginLoss', c.reduction, c.rows);
  const items = c.reduction === 'none' ? new Float64Array(c.rows) : null;
  const g = outs ? (outs as [FloatArray, FloatArray, FloatArray]) : null;
  // each row loop in its own function, which returns right after it: a loop that V8 compiles on
  // the stack (OSR) inside a longer function kept deoptimizing on reaching the code after it
  const total = c.p === 2 ? euclideanRows(c, scale, items, g) : normRows(c, scale, items, g);
  return reduce('tripletMarginLoss', c.reduction, total, c.rows, items);
}

/**
 * The rows at p = 2, fused: one pass over each row forms its differences a - p + ε, a - n + ε (and
 * p - n + ε for the swap) into float64 scratch rows and sums their squares; the gradient pass reads
 * the scratch rows instead of the three inputs. (Bench, N = 4096, D = 128, float32, value and the
 * three gradients, same process, best of 100: 4.4 ms as three rowDistance / gradient passes over
 * the inputs, 2.5 ms fused.) Without the swap, float32 rows run on the WebAssembly kernel of
 * tripletMarginWasm.ts where it takes them (the same bits), each row it leaves here.
 */
function euclideanRows(c: Prepared, scale: number, items: Float64Array | null, g: [FloatArray, FloatArray, FloatArray] | null): number {
  const scratch: Scratch = { u: new Float64Array(c.cols), v: new Float64Array(c.cols), w: new Float64Array(c.swap ? c.cols : 0), sq: new Float64Array(3) };
  const fast = c.swap ? null : tripletWasmRows(c, scale, items, g, (r) => euclideanRow(c, r, scale, scratch, g));
  if (fast !== null) return fast;
  const total = new RunningTotal();
  for (let r = 0; r < c.rows; r++) {
    const l = euclideanRow(c, r, scale, scratch, g);
    total.add(l);
    if (items) items[r] = l;
  }
  return total.value();
}

/** The float64 scratch rows of euclideanRow: the differences, and the sums of their squares. */
interface Scratch {
  readonly u: Float64Array;
  readonly v: Float64Array;
  readonly w: Float64Array;
  readonly sq: Float64Array;
}

/** Row r's loss, and with g its gradients (see euclideanRows). */
function euclideanRow(c: Prepared, r: number, scale: number, { u, v, w, sq }: Scratch, g: [FloatArray, FloatArray, FloatArray] | null): number {
  const fn = 'tripletMarginLoss';
  const { a, pos, neg, cols, margin, eps, swap } = c;
  const o = r * cols;
  if (swap) differences3(a, pos, neg, o, cols, eps, u, v, w, sq);
  else differences2(a, pos, neg, o, cols, eps, u, v, sq);
  const dap = finite(fn, c, 'anchor-positive', r, root(sq[0]!, a, pos, o, cols, eps));
  const dan = finite(fn, c, 'anchor-negative', r, root(sq[1]!, a, neg, o, cols, eps));
  const dpn = swap ? finite(fn, c, 'positive-negative', r, root(sq[2]!, pos, neg, o, cols, eps)) : dan;
  // d- = min(d(a, n), d(p, n)); a tie sends half the gradient to each, as PyTorch's minimum
  const wan = dan < dpn ? 1 : dan === dpn ? (swap ? 0.5 : 1) : 0;
  const z = margin + dap - (dan < dpn ? dan : dpn);
  if (!g) return z > 0 ? z : 0;
  if (!(z >= 0)) {
    zeroRow(o, cols, g);
    return 0;
  }
  // ∂d(x, y)/∂x = (x - y + eps)/d(x, y): the row's factors k w / d folded once (0 where d = 0)
  const cap = dap > 0 ? scale / dap : 0;
  const can = dan > 0 ? (scale * wan) / dan : 0;
  if (swap) gradient3(o, cols, cap, can, dpn > 0 ? (scale * (1 - wan)) / dpn : 0, u, v, w, g[0], g[1], g[2]);
  else gradient2(o, cols, cap, can, u, v, g[0], g[1], g[2]);
  return z > 0 ? z : 0;
}

/**
 * √s for a p = 2 distance whose sum of squares is s; where s left the normal range (squares may
 * have underflowed, or the sum overflowed) rowDistance's rescaled form instead.
 */
function root(s: number, x: FloatArray, y: FloatArray, o: number, cols: number, eps: number): number {
  return s >= 2 ** -960 && s < Infinity ? Math.sqrt(s) : rowDistance(x, o, y, o, cols, 2, eps);
}

/**
 * u = a - p + ε and v = a - n + ε over the row at o, and Σ u², Σ v² into s[0], s[1], with two
 * accumulators per sum (so consecutive additions do not wait on each other).
 */
function differences2(a: FloatArray, pos: FloatArray, neg: FloatArray, o: number, cols: number, eps: number, u: Float64Array, v: Float64Array, s: Float64Array): void {
  let ap0 = 0;
  let ap1 = 0;
  let an0 = 0;
  let an1 = 0;
  let j = 0;
  for (; j + 1 < cols; j += 2) {
    const a0 = a[o + j]!;
    const a1 = a[o + j + 1]!;
    const u0 = a0 - pos[o + j]! + eps;
    const u1 = a1 - pos[o + j + 1]! + eps;
    const v0 = a0 - neg[o + j]! + eps;
    const v1 = a1 - neg[o + j + 1]! + eps;
    u[j] = u0;
    u[j + 1] = u1;
    v[j] = v0;
    v[j + 1] = v1;
    ap0 += u0 * u0;
    ap1 += u1 * u1;
    an0 += v0 * v0;
    an1 += v1 * v1;
  }
  if (j < cols) {
    const u0 = a[o + j]! - pos[o + j]! + eps;
    const v0 = a[o + j]! - neg[o + j]! + eps;
    u[j] = u0;
    v[j] = v0;
    ap0 += u0 * u0;
    an0 += v0 * v0;
  }
  s[0] = ap0 + ap1;
  s[1] = an0 + an1;
}

/** differences2, and w = p - n + ε with Σ w² into s[2], for the swap. */
function differences3(
  a: FloatArray,
  pos: FloatArray,
  neg: FloatArray,
  o: number,
  cols: number,
  eps: number,
  u: Float64Array,
  v: Float64Array,
  w: Float64Array,
  s: Float64Array,
): void {
  let ap = 0;
  let an = 0;
  let pn = 0;
  for (let j = 0; j < cols; j++) {
    const x = a[o + j]!;
    const y = pos[o + j]!;
    const z = neg[o + j]!;
    const u0 = x - y + eps;
    const v0 = x - z + eps;
    const w0 = y - z + eps;
    u[j] = u0;
    v[j] = v0;
    w[j] = w0;
    ap += u0 * u0;
    an += v0 * v0;
    pn += w0 * w0;
  }
  s[0] = ap;
  s[1] = an;
  s[2] = pn;
}

/** One row's gradients without swap: ga = cap u - can v, gp = -cap u, gn = can v (four elements a step: ~15% faster than one). */
function gradient2(o: number, cols: number, cap: number, can: number, u: Float64Array, v: Float64Array, ga: FloatArray, gp: FloatArray, gn: FloatArray): void {
  let j = 0;
  for (; j + 3 < cols; j += 4) {
    const s0 = cap * u[j]!;
    const s1 = cap * u[j + 1]!;
    const s2 = cap * u[j + 2]!;
    const s3 = cap * u[j + 3]!;
    const t0 = can * v[j]!;
    const t1 = can * v[j + 1]!;
    const t2 = can * v[j + 2]!;
    const t3 = can * v[j + 3]!;
    const k = o + j;
    ga[k] = s0 - t0;
    ga[k + 1] = s1 - t1;
    ga[k + 2] = s2 - t2;
    ga[k + 3] = s3 - t3;
    gp[k] = 0 - s0;
    gp[k + 1] = 0 - s1;
    gp[k + 2] = 0 - s2;
    gp[k + 3] = 0 - s3;
    gn[k] = t0;
    gn[k + 1] = t1;
    gn[k + 2] = t2;
    gn[k + 3] = t3;
  }
  for (; j < cols; j++) {
    const s0 = cap * u[j]!;
    const t0 = can * v[j]!;
    ga[o + j] = s0 - t0;
    gp[o + j] = 0 - s0;
    gn[o + j] = t0;
  }
}

/** gradient2 with the swap's d(p, n) share: gp -= cpn w, gn += cpn w. */
function gradient3(
  o: number,
  cols: number,
  cap: number,
  can: number,
  cpn: number,
  u: Float64Array,
  v: Float64Array,
  w: Float64Array,
  ga: FloatArray,
  gp: FloatArray,
  gn: FloatArray,
): void {
  for (let j = 0; j < cols; j++) {
    const sap = cap * u[j]!;
    const san = can * v[j]!;
    const spn = cpn * w[j]!;
    ga[o + j] = sap - san;
    gp[o + j] = 0 - sap - spn;
    gn[o + j] = san + spn;
  }
}

/** An inactive row's gradients: zeros. */
function zeroRow(o: number, cols: number, [ga, gp, gn]: [FloatArray, FloatArray, FloatArray]): void {
  ga.fill(0, o, o + cols);
  gp.fill(0, o, o + cols);
  gn.fill(0, o, o + cols);
}

/** The rows for p != 2: rowDistance's distances and normSlope's slopes. */
function normRows(c: Prepared, scale: number, items: Float64Array | null, g: [FloatArray, FloatArray, FloatArray] | null): number {
  const fn = 'tripletMarginLoss';
  const { a, pos, neg, rows, cols, margin, p, eps, swap } = c;
  const total = new RunningTotal();
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    const dap = finite(fn, c, 'anchor-positive', r, rowDistance(a, o, pos, o, cols, p, eps));
    const dan = finite(fn, c, 'anchor-negative', r, rowDistance(a, o, neg, o, cols, p, eps));
    const dpn = swap ? finite(fn, c, 'positive-negative', r, rowDistance(pos, o, neg, o, cols, p, eps)) : dan;
    const wan = dan < dpn ? 1 : dan === dpn ? (swap ? 0.5 : 1) : 0;
    const z = margin + dap - Math.min(dan, dpn);
    const l = z > 0 ? z : 0;
    total.add(l);
    if (items) items[r] = l;
    if (g && !(z >= 0)) zeroRow(o, cols, g);
    else if (g) normGradient(c, o, scale, dap, dan, dpn, wan, g[0], g[1], g[2]);
  }
  return total.value();
}

/**
 * One active row's three gradients for p != 2, each element written once:
 * d l / d(a, p, n) = k (∂d(a, p) - w · ∂d(a, n) - (1 - w) · ∂d(p, n)), w the share of d(a, n) in d-.
 */
function normGradient(c: Prepared, o: number, k: number, dap: number, dan: number, dpn: number, wan: number, ga: FloatArray, gp: FloatArray, gn: FloatArray): void {
  const { a, pos, neg, cols, p, eps, swap } = c;
  const wpn = swap ? 1 - wan : 0;
  for (let j = o; j < o + cols; j++) {
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
