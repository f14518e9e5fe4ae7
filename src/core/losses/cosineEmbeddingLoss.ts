import { describe, fail, showShape } from '../errors';
import { numberOption, reduction, type OptionsOf, type Parsed } from '../options';
import { toFlat } from '../tensor/flatten';
import type { FloatArray, GradOf, Values } from '../tensor/types';
import { defineMultiLoss } from './defineLoss';
import { reduceRows } from './reduceRows';
import { readEmbeddings } from './embeddings';
import { assertSigns } from './signs';
import * as twoSumModule from '../math/twoSum';

// module-local binding (see bceFromLogits)
const twoSumErr = twoSumModule.twoSumError;

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** m: dissimilar pairs cost nothing once their cosine is below it (default 0; PyTorch suggests 0 to 0.5). */
  margin: numberOption(0),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type CosineEmbeddingLossOptions = OptionsOf<typeof spec>;

/**
 * PyTorch's EPSILON, added to each squared norm: `constexpr float EPSILON = 1e-12` in
 * aten/src/ATen/native/Loss.cpp, so the float32 nearest 1e-12, 9.999999960041972e-13 (checked
 * against torch 1.13's gradient at a zero vector, 1/sqrt(EPSILON)).
 */
const EPSILON = Math.fround(1e-12);

/**
 * Cosine embedding loss (코사인 임베딩 손실): pulls pairs of embeddings labelled similar
 * ($y_i = 1$) towards the same direction and pushes dissimilar ones ($y_i = -1$) apart until their
 * cosine is below the margin $m$. Per row $i$ of `input1` ($a$) and `input2` ($b$):
 *
 * $$\cos_i = \frac{a_i \cdot b_i}{\sqrt{(\lVert a_i\rVert^2 + \epsilon)(\lVert b_i\rVert^2 + \epsilon)}},\qquad
 * \ell_i = \begin{cases} 1 - \cos_i & y_i = 1 \\ \max(0,\ \cos_i - m) & y_i = -1 \end{cases}$$
 *
 * with $\epsilon$ added to each squared norm as PyTorch does: its `EPSILON`, the float32
 * nearest $10^{-12}$ (9.999999960041972e-13). A zero vector has cosine 0 with everything, and
 * loss 1 against a similar label.
 *
 * - `reduction` over rows: `'mean'` (default) $\frac1N\sum\ell_i$, `'sum'` $\sum\ell_i$, `'none'` the $\ell_i$.
 * - `margin`: $m$, default 0 (any finite number).
 * - Shapes: `input1`, `input2` `[N, D]` with `target` `[N]`, or `[D]` (one pair) with a bare
 *   number (or `[y]`) as target; labels -1 or 1 only (PyTorch gives other labels a loss of 0).
 * - Gradient: $\partial\cos_i/\partial a_i = \bigl(b_i - \frac{a_i\cdot b_i}{\lVert a_i\rVert^2+\epsilon}\,a_i\bigr)\big/\sqrt{(\lVert a_i\rVert^2 + \epsilon)(\lVert b_i\rVert^2 + \epsilon)}$
 *   (and symmetrically for $b_i$); $\ell_i$'s gradient is minus that for $y_i = 1$, that where
 *   $\cos_i \ge m$ for $y_i = -1$ (the gradient passes at the kink, as PyTorch), else 0; over $N$
 *   for `'mean'`. `.grad` returns `[d input1, d input2]`.
 * - Accuracy: for $\cos_i > 1/2$, $1 - \cos_i$ and the gradient are computed from the component
 *   of $b_i$ orthogonal to $a_i$ (Lagrange's identity, products made exact), so nearly parallel
 *   pairs keep their digits: within a few ulp of the exact value where PyTorch, subtracting
 *   $\cos_i$ from 1, loses up to all of them (1e-3 relative error at $1 - \cos = 10^{-13}$).
 *   Rows whose squared norm overflows are scaled by a power of two first, so any finite input has
 *   a finite loss (PyTorch returns NaN there).
 * - PyTorch: `F.cosine_embedding_loss(input1, input2, target, margin=0)`.
 *
 * @example
 * cosineEmbeddingLoss([[1, 0], [1, 1]], [[0, 1], [1, 0]], [1, -1]) // 0.8535533905930086
 * cosineEmbeddingLoss([3, 4], [6, 8], 1) // 2.4999999900104194e-14 (only the eps: the vectors are parallel)
 * cosineEmbeddingLoss.grad([1, 0], [0, 2], 1) // [[0, -0.9999999999993749], [-0.49999999999968747, 0]] (eps moves [[0, -1], [-0.5, 0]])
 */
export const cosineEmbeddingLoss = defineMultiLoss<[input1: Values, input2: Values, target: number | Values], [GradOf<Values>, GradOf<Values>], typeof spec, Prepared>({
  name: 'cosineEmbeddingLoss',
  options: spec,
  args: ['input1', 'input2', 'target'],
  differentiable: [0, 1],
  prepare,
  sizes: (c) => [c.a.length, c.b.length],
  value: (c) => pass(c, null, null),
  grad(c, [da, db]) {
    pass(c, da!, db!);
  },
  valueAndGrad: (c, [da, db]) => pass(c, da!, db!),
  writesEveryElement: true,
});

type Prepared = ReturnType<typeof prepare>;

/** The reduced loss (the per-row items for `'none'`), and with da, db both gradients. */
function pass(c: Prepared, da: FloatArray | null, db: FloatArray | null): number | Float64Array {
  const { a, b, y, rows, cols, margin } = c;
  const pair = new CosinePair();
  return reduceRows('cosineEmbeddingLoss', c.reduction, rows, (r, scale) => {
    const o = r * cols;
    pair.measure(a, b, o, cols);
    const similar = y[r] === 1;
    const l = similar ? pair.oneMinusCos : Math.max(0, pair.cos - margin);
    // minus d cos for y = 1; d cos where cos >= m for y = -1 (the gradient passes at the kink), else 0
    if (da) pair.grad(a, b, o, cols, similar ? -scale : pair.cos - margin >= 0 ? scale : 0, da, db!);
    return l;
  });
}

/** A power of two that brings the sums of any finite row pair into range. */
const DOWN = 2 ** -600;
/** Dekker's splitter, 2^27 + 1: x = hi + lo with hi of 26 significant bits. */
const SPLIT = 134217729;

/**
 * One row pair $a, b$, each times a power-of-two scale $s$ (1 unless its squared norm overflows;
 * its $\epsilon$ is scaled by $s^2$ with it, which leaves cos unchanged): the squared norms
 * $n_a, n_b$, $m = n + \epsilon$, $P = a \cdot b$, $\cos = P/\sqrt{m_a m_b}$ and $1 - \cos$.
 *
 * For $\cos > 1/2$, $1 - \cos = (m_a m_b - P^2)/(m_a m_b\,(1 + \cos))$ with the Lagrange identity
 * $m_a m_b - P^2 = n_a \lVert b_\perp\rVert^2 + \epsilon(n_a + n_b) + \epsilon^2$, where
 * $b_\perp = b - (P/n_a)\,a$ is computed with the products exact (Dekker), so the only
 * cancellation left is in subtractions that are exact: nearly parallel pairs keep their digits.
 */
class CosinePair {
  sa = 1;
  sb = 1;
  na = 0;
  nb = 0;
  p = 0;
  ea = 0;
  eb = 0;
  ra = 0;
  rb = 0;
  cos = 0;
  oneMinusCos = 0;
  /** Σ_j |a_j b_j|, and the low parts of P, n_a, n_b where they were recomputed exactly (exactSums). */
  pAbs = 0;
  pl = 0;
  nal = 0;
  nbl = 0;

  measure(a: FloatArray, b: FloatArray, o: number, cols: number): void {
    this.sums(a, b, o, cols, 1, 1);
    if (!(this.na < Infinity && this.nb < Infinity)) this.sums(a, b, o, cols, this.na < Infinity ? 1 : DOWN, this.nb < Infinity ? 1 : DOWN);
    this.pl = this.nal = this.nbl = 0;
    // P far below its terms has cancelled (nearly orthogonal rows), and nearly parallel ones need
    // c = P / n_a beyond float64 (b_⊥ = b - c a inherits c's rounding times |b|): sums recomputed exactly
    if (!(Math.abs(this.p) >= 2 ** -20 * this.pAbs) || this.p * this.p > 0.2 * this.na * this.nb) this.exactSums(a, b, o, cols);
    const { na, nb, p } = this;
    const ea = (this.ea = EPSILON * this.sa * this.sa);
    const eb = (this.eb = EPSILON * this.sb * this.sb);
    const ma = na + ea;
    const mb = nb + eb;
    this.ra = 1 / Math.sqrt(ma);
    this.rb = 1 / Math.sqrt(mb);
    // PyTorch's P / sqrt(m_a m_b) (one rounding fewer) unless the product leaves the range
    const mm = ma * mb;
    const cos = (this.cos = mm < Infinity && mm > 1e-300 ? p / Math.sqrt(mm) : p * this.ra * this.rb);
    if (!(cos > 0.5)) {
      this.oneMinusCos = 1 - cos;
      return;
    }
    const c = p / na;
    const perp = perpSquares(a, b, o, cols, this.sa, this.sb, c, quotientLow(p, this.pl, na, this.nal, c));
    // (m_a m_b - P²)/(m_a m_b), term by term so that no product overflows
    const ta = na / ma;
    const tb = nb / mb;
    this.oneMinusCos = (ta * (perp / mb) + (eb * ta) / mb + (ea * tb) / ma + (ea / ma) * (eb / mb)) / (1 + cos);
    // and cos itself correctly rounded from it (1 - cos is tiny and accurate)
    this.cos = 1 - this.oneMinusCos;
  }

  private sums(a: FloatArray, b: FloatArray, o: number, cols: number, sa: number, sb: number): void {
    let na = 0;
    let nb = 0;
    let p = 0;
    let pAbs = 0;
    for (let j = o; j < o + cols; j++) {
      const u = a[j]! * sa;
      const v = b[j]! * sb;
      na += u * u;
      nb += v * v;
      p += u * v;
      pAbs += Math.abs(u * v);
    }
    this.sa = sa;
    this.sb = sb;
    this.na = na;
    this.nb = nb;
    this.p = p;
    this.pAbs = pAbs;
  }

  /**
   * P, n_a, n_b again as double-doubles (hi in p, na, nb; lo in pl, nal, nbl): Dot2 (Ogita, Rump and
   * Oishi, 2005), each product exact by Dekker's split and the running sums by TwoSum, so the result is
   * as if computed in twice the precision (the scaled rows cannot overflow a split).
   */
  private exactSums(a: FloatArray, b: FloatArray, o: number, cols: number): void {
    const { sa, sb } = this;
    let ph = 0;
    let pe = 0;
    let ah = 0;
    let ae = 0;
    let bh = 0;
    let be = 0;
    for (let j = o; j < o + cols; j++) {
      const u = a[j]! * sa;
      const v = b[j]! * sb;
      const [uh, ul] = split(u);
      const [vh, vl] = split(v);
      const uv = u * v;
      const uu = u * u;
      const vv = v * v;
      const s1 = ph + uv;
      pe += twoSumErr(ph, uv, s1) + (uh * vh - uv + uh * vl + ul * vh + ul * vl);
      ph = s1;
      const s2 = ah + uu;
      ae += twoSumErr(ah, uu, s2) + (uh * uh - uu + 2 * uh * ul + ul * ul);
      ah = s2;
      const s3 = bh + vv;
      be += twoSumErr(bh, vv, s3) + (vh * vh - vv + 2 * vh * vl + vl * vl);
      bh = s3;
    }
    this.p = ph + pe;
    this.pl = pe - (this.p - ph);
    this.na = ah + ae;
    this.nal = ae - (this.na - ah);
    this.nb = bh + be;
    this.nbl = be - (this.nb - bh);
  }

  /**
   * Writes k · d cos / d a and k · d cos / d b of the measured row:
   * d cos / d a = (b - (P/m_a) a)/sqrt(m_a m_b), for cos > 1/2 as (b_⊥ + (P ε/(n_a m_a)) a)/sqrt(m_a m_b),
   * and symmetrically for b (each times its scale s: d/da = s d/d(sa)).
   */
  grad(a: FloatArray, b: FloatArray, o: number, cols: number, k: number, da: FloatArray, db: FloatArray): void {
    if (k === 0) {
      da.fill(0, o, o + cols);
      db.fill(0, o, o + cols);
      return;
    }
    const { sa, sb, na, nb, p, ea, eb } = this;
    const ga = k * sa * this.ra * this.rb;
    const gb = k * sb * this.ra * this.rb;
    if (!(this.cos > 0.5)) {
      const ca = p / (na + ea);
      const cb = p / (nb + eb);
      for (let j = o; j < o + cols; j++) {
        const u = a[j]! * sa;
        const v = b[j]! * sb;
        da[j] = ga * (v - ca * u);
        db[j] = gb * (u - cb * v);
      }
      return;
    }
    const ca = p / na;
    const cb = p / nb;
    const caLow = quotientLow(p, this.pl, na, this.nal, ca);
    const cbLow = quotientLow(p, this.pl, nb, this.nbl, cb);
    const fa = (p * ea) / (na * (na + ea));
    const fb = (p * eb) / (nb * (nb + eb));
    const [cah, cal] = split(ca);
    const [cbh, cbl] = split(cb);
    for (let j = o; j < o + cols; j++) {
      const u = a[j]! * sa;
      const v = b[j]! * sb;
      da[j] = ga * (minusProduct(v, ca, cah, cal, u) - caLow * u + fa * u);
      db[j] = gb * (minusProduct(u, cb, cbh, cbl, v) - cbLow * v + fb * v);
    }
  }
}

/** |b_⊥|² = Σ_j (sb b_j - c sa a_j)², c = P / n_a as c + cLow, each term without cancellation (see minusProduct). */
function perpSquares(a: FloatArray, b: FloatArray, o: number, cols: number, sa: number, sb: number, c: number, cLow: number): number {
  const [ch, cl] = split(c);
  let perp = 0;
  for (let j = o; j < o + cols; j++) {
    const u = a[j]! * sa;
    const q = minusProduct(b[j]! * sb, c, ch, cl, u) - cLow * u;
    perp += q * q;
  }
  return perp;
}

/** The low part of (ph + pl) / (nh + nl) beyond q = fl(ph / nh): ((ph - q nh) + pl - q nl) / nh, q nh exact (Dekker). */
function quotientLow(ph: number, pl: number, nh: number, nl: number, q: number): number {
  const r = q * nh;
  const [qh, ql] = split(q);
  const [nhh, nhl] = split(nh);
  const re = qh * nhh - r + qh * nhl + ql * nhh + ql * nhl;
  return (ph - r - re + pl - q * nl) / nh;
}

function split(x: number): [number, number] {
  const t = SPLIT * x;
  const hi = t - (t - x);
  return [hi, x - hi];
}

/**
 * v - c·u with c·u exact as p + e (Dekker's product: JavaScript has no fused multiply-add), so
 * the only rounding is that of the two final subtractions, the first exact when c·u is near v.
 */
function minusProduct(v: number, c: number, ch: number, cl: number, u: number): number {
  const p = c * u;
  const t = SPLIT * u;
  const uh = t - (t - u);
  const ul = u - uh;
  const e = ch * uh - p + ch * ul + cl * uh + cl * ul;
  return v - p - e;
}

function prepare(args: readonly unknown[], o: Parsed<typeof spec>) {
  const fn = 'cosineEmbeddingLoss';
  const e = readEmbeddings(fn, ['input1', 'input2'], args);
  const y = readLabels(fn, args[2], e.rows, e.single);
  return { a: e.data[0]!, b: e.data[1]!, y, rows: e.rows, cols: e.cols, reduction: o.reduction, margin: o.margin };
}

/** The ±1 labels: `[N]` for `[N, D]` inputs; a number, `[y]` or a rank-0 tensor for `[D]` inputs. */
function readLabels(fn: string, target: unknown, rows: number, single: boolean): FloatArray {
  if (typeof target === 'number' && single) {
    if (target !== 1 && target !== -1) fail(fn, 'target', '-1 or 1', describe(target));
    return new Float64Array([target]);
  }
  const expected = single ? 'a label -1 or 1 (for [D] inputs)' : `of shape [${rows}], one label per row of input1`;
  if (typeof target === 'number') fail(fn, 'target', expected, describe(target));
  const t = toFlat(fn, 'target', target as Values);
  const ok = single ? t.data.length === 1 && t.shape.length <= 1 : t.shape.length === 1 && t.shape[0] === rows;
  if (!ok) fail(fn, 'target', expected, `shape ${showShape(t.shape)}`);
  assertSigns(fn, 'target', t.data);
  return t.data;
}
