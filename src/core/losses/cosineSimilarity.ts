import { ddAdd, ddDiv, ddMul, ddNeg, twoProd, type DD } from '../math/doubleDouble';
import { twoSumError } from '../math/twoSum';
import { reduction, type OptionsOf, type Parsed } from '../options';
import type { FloatArray, Values } from '../tensor/types';
import { defineLoss } from './defineLoss';
import { reduceRows } from './reduceRows';
import { readEmbeddings } from './embeddings';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type CosineSimilarityOptions = OptionsOf<typeof spec>;

/**
 * Keras's epsilon, the floor of each norm: Keras 3 normalises with
 * `x * rsqrt(maximum(sum(x²), epsilon²))`, `epsilon = backend.epsilon() = 1e-7`
 * (keras/src/ops/nn.py `_normalize`), i.e. divides by max(‖x‖, 1e-7).
 */
const EPSILON = 1e-7;
const EPSILON2 = EPSILON * EPSILON;
/** Dekker's splitter, 2^27 + 1. */
const SPLIT = 134217729;

/**
 * Cosine similarity as a loss (코사인 유사도), as Keras defines it: minus the cosine of each row of
 * `input` ($a$) with the same row of `target` ($b$), each divided by its norm floored at $\epsilon = 10^{-7}$:
 *
 * $$\ell_i = -\frac{a_i \cdot b_i}{\max(\lVert a_i\rVert, \epsilon)\,\max(\lVert b_i\rVert, \epsilon)}$$
 *
 * so $\ell_i \in [-1, 1]$: -1 for vectors pointing the same way, 0 for orthogonal ones or a zero vector.
 *
 * - `reduction` over rows: `'mean'` (default) $\frac1N\sum\ell_i$, `'sum'`, `'none'` the $\ell_i$.
 * - Shapes: `input` and `target` `[N, D]` (one vector per row), or `[D]` for one pair.
 * - Gradient (d / d input): $-\bigl(b_i - \frac{a_i \cdot b_i}{\lVert a_i\rVert^2}a_i\bigr)\big/(\lVert a_i\rVert\max(\lVert b_i\rVert, \epsilon))$,
 *   the component of $b_i$ orthogonal to $a_i$; where $\lVert a_i\rVert < \epsilon$ (the floor) it is
 *   $-b_i/(\epsilon\max(\lVert b_i\rVert, \epsilon))$. Over $N$ for `'mean'`.
 * - Accuracy: the dot product and squared norms are summed in double-double (error-free products and
 *   sums), so a cosine near 0 (nearly orthogonal rows, a dot product that cancels) keeps its
 *   digits, and the orthogonal component is taken with $(a \cdot b)/\lVert a\rVert^2$ in double-double, so
 *   nearly parallel rows, whose gradient is that small component, keep theirs. Each row is first
 *   scaled by a power of two (its largest element into [1, 2)), so no square overflows or
 *   underflows: any finite input has a finite loss, and rows of 1e-300 or 1e300 keep their digits.
 * - Keras: `keras.losses.CosineSimilarity(axis=-1)` / `cosine_similarity(y_true, y_pred)`
 *   (keras/src/losses/losses.py: `-sum(normalize(y_true) * normalize(y_pred), axis=-1)`), with the
 *   arguments in losslab's order (input = `y_pred`); the cosine is symmetric. Keras 2 (`tf.keras`)
 *   floored the squared norm at 1e-12 (`tf.linalg.l2_normalize`) instead; it differs only for norms below 1e-6.
 *
 * @example
 * cosineSimilarity([[1, 0], [1, 1], [-1, -1]], [[0, 1], [1, 1], [1, 1]], { reduction: 'none' }) // Float64Array [0, -1, 1]
 * cosineSimilarity([3, 4], [4, 3]) // -0.96
 * cosineSimilarity.grad([1, 0], [1, 1]) // [0, -0.7071067811865476]
 */
export const cosineSimilarity = defineLoss<Values, typeof spec, Prepared>({
  name: 'cosineSimilarity',
  options: spec,
  prepare,
  value: (c) => pass(c, null),
  grad(c, out) {
    pass(c, out);
  },
  valueAndGrad: (c, out) => pass(c, out),
  writesEveryElement: true,
});

type Prepared = ReturnType<typeof prepare>;

/** One pass over the rows: the reduced loss, and with `out` the gradient written alongside. */
function pass(c: Prepared, out: FloatArray | null): number | Float64Array {
  const row = new CosineRow();
  return reduceRows('cosineSimilarity', c.reduction, c.rows, (r, scale) => {
    const o = r * c.cols;
    row.measure(c.a, c.b, o, c.cols);
    const loss = 0 - row.cos;
    if (out) row.grad(c.a, o, c.cols, c.b, -scale, out);
    return loss;
  });
}

/** The rounding error of x * y = p (Dekker's product; |x|, |y| below 2^995). */
function productError(x: number, y: number, p: number): number {
  const cx = SPLIT * x;
  const xh = cx - (cx - x);
  const xl = x - xh;
  const cy = SPLIT * y;
  const yh = cy - (cy - y);
  const yl = y - yh;
  return xh * yh - p + xh * yl + xl * yh + xl * yl;
}

/** 1 / √x of a double-double x > 0, to about 2^-100. */
function ddInverseSqrt(x: DD): DD {
  const s = Math.sqrt(x.hi);
  const r = ddAdd(x, ddNeg(twoProd(s, s)));
  return ddDiv(ONE, ddAdd({ hi: s, lo: 0 }, { hi: r.hi / (2 * s), lo: 0 }));
}

const ONE: DD = { hi: 1, lo: 0 };
const ZERO: DD = { hi: 0, lo: 0 };

/** e = ⌊log2 max_j |x_j|⌋ over row [o, o + cols) (0 for a zero row): x 2^-e lies in (-2, 2). */
function exponentOf(x: FloatArray, o: number, cols: number): number {
  let max = 0;
  for (let j = o; j < o + cols; j++) max = Math.max(max, Math.abs(x[j]!));
  if (max === 0) return 0;
  let e = Math.floor(Math.log2(max));
  if (2 ** e > max) e--;
  else if (2 ** (e + 1) <= max) e++;
  return e;
}

/**
 * One row pair a, b, each scaled by a power of two, u = a 2^-e_a and v = b 2^-e_b (largest
 * element in [1, 2): no square overflows or underflows): the squared norms n_u, n_v and the dot
 * product P_uv in double-double (Dot2: error-free products summed with TwoSum). With
 * A = 2^e_a / max(‖a‖, ε), which is 1 / √n_u above the floor and 2^e_a / ε below it, and B likewise,
 * cos = P_uv A B.
 */
class CosineRow {
  ea = 0;
  eb = 0;
  nu: DD = ZERO;
  p: DD = ZERO;
  floorA = false;
  b: DD = ONE;
  ab: DD = ONE;
  cos = 0;

  measure(a: FloatArray, b: FloatArray, o: number, cols: number): void {
    const ea = (this.ea = exponentOf(a, o, cols));
    const eb = (this.eb = exponentOf(b, o, cols));
    // 2^-e in two exact factors (2^1074 itself overflows)
    const a1 = 2 ** -(ea >> 1);
    const a2 = 2 ** -(ea - (ea >> 1));
    const b1 = 2 ** -(eb >> 1);
    const b2 = 2 ** -(eb - (eb >> 1));
    let nuHi = 0;
    let nuLo = 0;
    let nvHi = 0;
    let nvLo = 0;
    let pHi = 0;
    let pLo = 0;
    for (let j = o; j < o + cols; j++) {
      const u = a[j]! * a1 * a2;
      const v = b[j]! * b1 * b2;
      let q = u * u;
      let s = nuHi + q;
      nuLo += twoSumError(nuHi, q, s) + productError(u, u, q);
      nuHi = s;
      q = v * v;
      s = nvHi + q;
      nvLo += twoSumError(nvHi, q, s) + productError(v, v, q);
      nvHi = s;
      q = u * v;
      s = pHi + q;
      pLo += twoSumError(pHi, q, s) + productError(u, v, q);
      pHi = s;
    }
    this.nu = ddAdd({ hi: nuHi, lo: 0 }, { hi: nuLo, lo: 0 });
    this.p = ddAdd({ hi: pHi, lo: 0 }, { hi: pLo, lo: 0 });
    const nv = ddAdd({ hi: nvHi, lo: 0 }, { hi: nvLo, lo: 0 });
    this.floorA = belowFloor(this.nu, ea);
    const A = this.floorA ? ddDiv({ hi: 2 ** ea, lo: 0 }, { hi: EPSILON, lo: 0 }) : ddInverseSqrt(this.nu);
    this.b = belowFloor(nv, eb) ? ddDiv({ hi: 2 ** eb, lo: 0 }, { hi: EPSILON, lo: 0 }) : ddInverseSqrt(nv);
    this.ab = ddMul(A, this.b);
    const cos = ddMul(this.p, this.ab);
    this.cos = cos.hi + cos.lo;
  }

  /**
   * Writes k · d cos / d a for the measured row: above the floor k (v - c u) A B 2^-e_a with
   * c = P_uv / n_u in double-double (its product with u exact), the component of b orthogonal to a;
   * below it k v B / ε (the norm is then the constant ε).
   */
  grad(a: FloatArray, o: number, cols: number, b: FloatArray, k: number, out: FloatArray): void {
    const { ea, eb } = this;
    const b1 = 2 ** -(eb >> 1);
    const b2 = 2 ** -(eb - (eb >> 1));
    if (this.floorA) {
      const f = ddDiv(this.b, { hi: EPSILON, lo: 0 });
      const factor = k * (f.hi + f.lo);
      for (let j = o; j < o + cols; j++) out[j] = factor * (b[j]! * b1 * b2) + 0; // + 0: never -0
      return;
    }
    const a1 = 2 ** -(ea >> 1);
    const a2 = 2 ** -(ea - (ea >> 1));
    const factor = k * (this.ab.hi + this.ab.lo) * a1 * a2;
    const c = ddDiv(this.p, this.nu);
    for (let j = o; j < o + cols; j++) {
      const u = a[j]! * a1 * a2;
      const v = b[j]! * b1 * b2;
      const q = c.hi * u;
      out[j] = factor * (v - q - productError(c.hi, u, q) - c.lo * u) + 0;
    }
  }
}

/** Whether ‖x‖ = √n_u 2^e is below Keras's floor ε (n_u 2^e 2^e underflows to 0 only far below it). */
function belowFloor(n: DD, e: number): boolean {
  return n.hi * 2 ** e * 2 ** e < EPSILON2;
}

function prepare(input: Values, target: Values, o: Parsed<typeof spec>) {
  const e = readEmbeddings('cosineSimilarity', ['input', 'target'], [input, target]);
  return { a: e.data[0]!, b: e.data[1]!, rows: e.rows, cols: e.cols, size: e.data[0]!.length, reduction: o.reduction };
}
