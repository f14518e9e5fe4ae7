import { fail } from '../errors';
import { reduction, type Parsed } from '../options';
import { twoSumError } from '../math/twoSum';
import { gradScale } from '../reduce';
import { assertSameShape, toFlat, toRows } from '../tensor/flatten';
import type { FloatArray, Values } from '../tensor/types';
import { defineLoss } from './defineLoss';
import { reduceRows } from './reduceRows';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
};

/**
 * Categorical hinge loss, as Keras: the true class's score must beat the best other class's
 * score by a margin of 1. Per sample, with one-hot $y$:
 *
 * $$\mathrm{pos}_i = \sum_j y_{ij}x_{ij}, \quad \mathrm{neg}_i = \max_j\,(1 - y_{ij})\,x_{ij}, \quad \ell_i = \max(0,\ \mathrm{neg}_i - \mathrm{pos}_i + 1)$$
 *
 * Note $\mathrm{neg}_i$ takes the max over every $j$, the true class contributing $0$ (Keras's
 * formula), so $\ell_i \ge \max(0, 1 - x_{i,\mathrm{true}})$.
 *
 * - `reduction` over samples: `'mean'` (default) $\frac1N\sum\ell_i$, `'sum'` $\sum\ell_i$,
 *   `'none'` the per-sample $\ell_i$.
 * - Shapes: input (scores) `[N, C]`, or `[C]` for one sample; `target` one-hot of the same shape
 *   (each row 0s and a single 1).
 * - Gradient where $\ell_i > 0$: $-y_{ij} + (1 - y_{ij})/k$ for the $k$ entries $j$ attaining the max
 *   in $\mathrm{neg}_i$, $-y_{ij}$ elsewhere (ties share the max's gradient evenly, as TensorFlow's
 *   `reduce_max`); 0 where $\ell_i = 0$, including the kink (autograd's $\max(0, z)'$ at 0);
 *   over $N$ for `'mean'`.
 * - $\mathrm{neg}_i - \mathrm{pos}_i + 1$ is taken with one rounding (TwoSum), so a margin that cancels
 *   keeps its digits (`neg = 0.1`, `pos = fl(1.1)` - 1 ulp gives 1.4e-16, not 2.2e-16).
 * - Keras: `keras.losses.CategoricalHinge()` / `keras.losses.categorical_hinge`.
 *
 * @example
 * categoricalHinge([[0.2, 1.5, -0.3], [2, 0.1, 0.4]], [[0, 1, 0], [0, 0, 1]]) // 1.3
 * categoricalHinge.grad([0.2, 0.9, 0.5], [0, 1, 0]) // [0, -1, 1]
 */
export const categoricalHinge = defineLoss<Values, typeof spec, ReturnType<typeof prepare>>({
  name: 'categoricalHinge',
  options: spec,
  prepare,
  value: ({ x, y, rows, cols, reduction }) =>
    reduceRows('categoricalHinge', reduction, rows, (r) => Math.max(0, margin(negative(x, y, r * cols, cols), positive(x, y, r * cols, cols)))),
  // d/dx_j (neg - pos + 1) = (1 - y_j)/k on the k argmax entries of (1 - y) x, minus y_j
  grad({ x, y, rows, cols, reduction }, out) {
    const s = gradScale('categoricalHinge', reduction, rows);
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      const neg = negative(x, y, o, cols);
      const active = margin(neg, positive(x, y, o, cols)) > 0;
      let ties = 0;
      for (let j = o; j < o + cols; j++) if (term(x, y, j) === neg) ties++;
      for (let j = o; j < o + cols; j++) {
        const atMax = term(x, y, j) === neg ? (1 - y[j]!) / ties : 0;
        out[j] = active ? s * (atMax - y[j]!) : 0;
      }
    }
  },
  writesEveryElement: true,
});

/**
 * neg - pos + 1 with one rounding: TwoSum keeps the error of each addition (neg = 0.1 and
 * pos = fl(1.1) - 1 ulp give 1.4e-16, where (neg - pos) + 1 rounds it to 2.2e-16 or 0).
 */
function margin(neg: number, pos: number): number {
  const a = neg - pos;
  const b = a + 1;
  return b + (twoSumError(neg, -pos, a) + twoSumError(a, 1, b));
}

/** pos = Σ_j y_j x_j over one row. */
function positive(x: ArrayLike<number>, y: ArrayLike<number>, o: number, cols: number): number {
  let s = 0;
  for (let j = o; j < o + cols; j++) if (y[j] === 1) s += x[j]!;
  return s;
}

/** neg = max_j (1 - y_j) x_j over one row. */
function negative(x: ArrayLike<number>, y: ArrayLike<number>, o: number, cols: number): number {
  let m = -Infinity;
  for (let j = o; j < o + cols; j++) m = Math.max(m, term(x, y, j));
  return m;
}

/** (1 - y_j) x_j for one-hot y, read as 0 on the true class even for an infinite score. */
function term(x: ArrayLike<number>, y: ArrayLike<number>, j: number): number {
  return y[j] === 1 ? 0 : x[j]!;
}

function prepare(input: Values, target: Values, { reduction }: Parsed<typeof spec>) {
  const fn = 'categoricalHinge';
  const a = toRows(fn, 'input', input);
  const b = toFlat(fn, 'target', target);
  assertSameShape(fn, a, 'input', b, 'target');
  assertOneHot(fn, b.data, a.rows, a.cols);
  return { x: a.data, y: b.data, rows: a.rows, cols: a.cols, size: a.data.length, reduction };
}

/** Each row of `t` must be 0s and exactly one 1. */
function assertOneHot(fn: string, t: FloatArray, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    let ones = 0;
    for (let j = r * cols; j < (r + 1) * cols; j++) {
      if (t[j] !== 0 && t[j] !== 1) fail(fn, `target[${j}]`, 'one-hot (0 or 1)', String(t[j]));
      if (t[j] === 1) ones++;
    }
    if (ones !== 1) fail(fn, `target row ${r}`, 'one-hot (a single 1)', `${ones} ones`);
  }
}
