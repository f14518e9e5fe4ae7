import { toRows, type Rows } from '../tensor/flatten';
import { shapeLike } from '../tensor/shapeLike';
import type { FloatArray, GradOf, Matrix, Values, Vector } from '../tensor/types';
import { ddAdd, ddSoftmaxRow } from './doubleDouble';
import { logRowSum, ROW_MAX, softmaxRow } from './rowKernels';
import { softmaxInto } from './softmax';

/** logSumExp's value and gradient from one pass. */
export interface LogSumExpValueAndGrad<G> {
  /** A number for 1-D `x`, one value per row for a `[N, C]` batch. */
  value: number | Float64Array;
  /** softmax(x), shaped like `x`. */
  grad: G;
}

/** The type of `logSumExp`: the function, its gradient and both together. */
export interface LogSumExp {
  (x: Vector): number;
  (x: Matrix): Float64Array;
  (x: Vector | Matrix): number | Float64Array;
  /** d/dx of logSumExp(x) (of the sum of the row values for a batch): softmax(x), shaped like `x`. */
  grad<I extends Values>(x: I): GradOf<I>;
  /** The value, as `logSumExp(x)`, and the gradient, as `logSumExp.grad(x)`, from one pass. */
  valueAndGrad<I extends Values>(x: I): LogSumExpValueAndGrad<GradOf<I>>;
}

/**
 * $\log\sum_j e^{x_j}$ over the last axis, as $m + \mathrm{log1p}(t)$ with the row kernel's max
 * $m$ and $t = \sum_j e^{x_j - m} - 1$ (kept apart from the max's 1, see rowKernels): never
 * overflows (it is at most $m + \ln C$), and a $t$ below ulp(1) still counts. A 1-D `x` gives a
 * number; a `[N, C]` batch gives one value per row. Throws for rank-0 input, NaN or ±Infinity.
 * Where $m$ and $\log s$ cancel (the result below $2^{-8}$ of them: `[-ln 2, -ln 2]` gives
 * 2.3e-17, where float64 evaluation and PyTorch give 0) the row is recomputed in double-double,
 * so the result is still accurate to the last bits.
 *
 * The gradient is the softmax, $\partial/\partial x_j \log\sum_k e^{x_k} = \mathrm{softmax}(x)_j$:
 * `logSumExp.grad(x)` gives it shaped like `x` (for a `[N, C]` batch, the gradient of the sum of
 * the row values, i.e. each row's softmax); `logSumExp.valueAndGrad(x)` gives both from one pass.
 * PyTorch: `torch.logsumexp(x, dim=-1)`.
 *
 * @example
 * logSumExp([1000, 1000]) // 1000.6931471805599
 * logSumExp([[0, 0], [1, 1]]) // Float64Array [0.6931471805599453, 1.6931471805599454]
 * logSumExp([0, -40]) // 4.248354255291589e-18
 * logSumExp.grad([0, 0]) // [0.5, 0.5]
 * logSumExp.valueAndGrad([0, 0]) // { value: 0.6931471805599453, grad: [0.5, 0.5] }
 */
export const logSumExp = Object.assign(Object.defineProperty(value, 'name', { value: 'logSumExp' }), { grad, valueAndGrad }) as LogSumExp;

function value(x: Vector | Matrix): number | Float64Array {
  return rowValues(toRows('logSumExp', 'x', x), null);
}

function grad<I extends Values>(x: I): GradOf<I> {
  const { data, rows, cols } = toRows('logSumExp', 'x', x);
  return shapeLike(x, softmaxInto(data, rows, cols)) as GradOf<I>;
}

function valueAndGrad<I extends Values>(x: I): LogSumExpValueAndGrad<GradOf<I>> {
  const rows = toRows('logSumExp', 'x', x);
  const g = new Float64Array(rows.data.length);
  const v = rowValues(rows, g);
  return { value: v, grad: shapeLike(x, g) as GradOf<I> };
}

/** m + log s of one row in double-double (see doubleDouble), rounded once. */
function exactLogSumExp(data: FloatArray, o: number, cols: number, m: number): number {
  const v = ddAdd({ hi: m, lo: 0 }, ddSoftmaxRow(data, o, cols, m, null, null));
  return v.hi + v.lo;
}

/** Each row's m + log s (a number for 1-D data); with `grad`, also writes each row's softmax into it. */
function rowValues({ data, rows, cols, shape }: Rows, grad: Float64Array | null): number | Float64Array {
  const e = grad ?? new Float64Array(cols);
  const stats = new Float64Array(2);
  const values = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    const d = grad ? o : 0;
    const s = softmaxRow(data, o, cols, e, d, stats);
    const m = stats[ROW_MAX]!;
    const L = logRowSum(stats);
    const v = m + L;
    // m and log s cancel (below 2^-8 of them, float64's few-ulp error of log s could exceed 1e-12
    // of the result): recomputed in double-double
    values[r] = Math.abs(v) < 2 ** -8 * (Math.abs(m) + L) ? exactLogSumExp(data, o, cols, m) : v;
    if (grad) for (let j = o; j < o + cols; j++) grad[j] = grad[j]! / s;
  }
  return shape.length === 1 ? values[0]! : values;
}
