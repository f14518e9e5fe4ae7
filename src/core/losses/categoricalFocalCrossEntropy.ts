import { describe, fail, overflow } from '../errors';
import { leaveOneOut } from '../math/leaveOneOut';
import * as rowModule from '../math/rowKernels';
import { compensated, twoSumError } from '../math/twoSum';
import { checkNumber, customOption, flag, numberOption, reduction, type OptionsOf, type Parsed, type VectorInput } from '../options';
import { gradScale, reduce } from '../reduce';
import { assertSameShape, checkFinite, toFlat, toRows } from '../tensor/flatten';
import { assertProbabilities } from '../tensor/probabilities';
import type { FloatArray, Values } from '../tensor/types';
import { assertProbabilityRows, EPSILON, rowMass } from './categoricalKernel';
import { defineLoss } from './defineLoss';

// Module-local bindings of the imports used per row (see rowKernels).
const { logRowSum, restOf, softmaxRow, ROW_MAX } = rowModule;

/** α: one number for every class, or one per class (Keras takes either). */
const alphaOption = customOption<number | Float64Array, number | VectorInput>(0.25, (fn, name, value) => {
  if (value === undefined) return 0.25;
  if (typeof value === 'number') return checkNumber(fn, name, value, { min: 0 });
  if (!Array.isArray(value) && !(value instanceof Float32Array) && !(value instanceof Float64Array)) {
    fail(fn, name, 'a number >= 0 or an array of them, one per class', describe(value));
  }
  const list = value as ArrayLike<number>;
  return Float64Array.from({ length: list.length }, (_, i) => checkNumber(fn, `${name}[${i}]`, list[i], { min: 0 }));
});

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** Focusing exponent γ >= 0 (default 2); γ = 0 with α = 1 is categoricalCrossEntropy. */
  gamma: numberOption(2, { min: 0 }),
  /** α >= 0 multiplying every class's term (default 0.25, Keras's), or one α_c per class. */
  alpha: alphaOption,
  /** The input holds logits rather than probabilities (default false). */
  fromLogits: flag(false),
  /** s in [0, 1]: targets become t (1 - s) + s / C, as Keras (default 0). */
  labelSmoothing: numberOption(0, { min: 0, max: 1 }),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type CategoricalFocalCrossEntropyOptions = OptionsOf<typeof spec>;

/** 1 - ε and the logs of the clip's bounds (Keras clips to [ε, 1 - ε], ε = 1e-7). */
const ONE_MINUS = 1 - EPSILON;
const LOG_LOW = Math.log(EPSILON);
const LOG_HIGH = Math.log1p(-(1 - ONE_MINUS));

/**
 * Categorical focal cross-entropy as Keras computes it (Lin et al.'s α-balanced focal loss over
 * every class), with one-hot or soft targets of the input's shape. Each row is renormalised by its
 * sum and clipped to $[\varepsilon, 1 - \varepsilon]$, $\varepsilon = 10^{-7}$ (from logits after a softmax):
 *
 * $$\ell_i = \sum_c \alpha_c\,(1 - r_{ic})^{\gamma}\,\big(-t'_{ic}\log r_{ic}\big),\qquad
 *   r_{ic} = \operatorname{clip}\!\Big(\frac{p_{ic}}{\sum_k p_{ik}}, \varepsilon, 1 - \varepsilon\Big),\quad t' = t(1 - s) + s / C$$
 *
 * with $p = \mathrm{softmax}(x)$ for `fromLogits`. At $\gamma = 0$, $\alpha = 1$ this is
 * categoricalCrossEntropy on probabilities (from logits, as long as no softmax output is clipped).
 *
 * - `reduction`: `'mean'` (default) over samples, `'sum'`, `'none'` the per-sample $\ell_i$.
 * - Options: `gamma` (default 2), `alpha` (default 0.25, one number for all classes or one per class),
 *   `fromLogits` (default false), `labelSmoothing` $s$ (default 0).
 * - Shapes: `input` `[N, C]`, or `[C]` for one sample; `target` the same shape, values in [0, 1].
 *   Probability inputs must lie in [0, 1] with a positive sum per row.
 * - Gradient: with $q = p / \sum_k p_k$, $u = 1 - q$ and, where $q_c$ is not clipped (0 where it is),
 *   $v_c = \alpha_c t'_c u_c^\gamma\big(1 + \gamma q_c(-\log q_c)/u_c\big)$ ($= -q_c\,\partial\ell/\partial r_c$) and $L_k = \sum_{c \ne k} v_c$:
 *   on probabilities $\partial\ell/\partial p_k = (L_k - v_k u_k / q_k)/\sum_c p_c$; from logits
 *   $\partial\ell/\partial x_k = q_k L_k - v_k u_k$. Over $N$ for `'mean'`.
 * - Stable forms: $u$ and $\log q$ without cancellation (from logits by crossEntropy's row kernel,
 *   $u_k = \mathrm{rest}_k / s$; on probabilities from the row mass summed apart from its largest $p$, as
 *   categoricalCrossEntropy), every term of the value >= 0, $L_k$ without $(\sum_c v_c) - v_k$ (leaveOneOut).
 *   A confident row is clipped, as in Keras: `[[0, 40]]` from logits has the constant loss
 *   $\alpha\,\varepsilon^\gamma(-\log(1 - \varepsilon))$ and gradient 0. A row summing to a subnormal has a gradient
 *   beyond float64 and throws, where Keras returns Infinity.
 * - Keras: `CategoricalFocalCrossentropy(alpha=0.25, gamma=2.0, from_logits=False, label_smoothing=0.0)`
 *   (keras/src/losses/losses.py, `categorical_focal_crossentropy`: `output = y_pred / sum(y_pred)`,
 *   `clip(output, epsilon, 1 - epsilon)`, `alpha * (1 - output) ** gamma * -y_true * log(output)` summed over
 *   classes; from logits `y_pred = softmax(y_pred)` first), reduction `sum_over_batch_size`.
 *
 * @example
 * categoricalFocalCrossEntropy([[0.05, 0.95, 0], [0.1, 0.8, 0.1]], [[0, 1, 0], [0, 0, 1]]) // 0.23315276982014324 (Keras: 0.23315276)
 * categoricalFocalCrossEntropy([[0.3, 0.7]], [[0, 1]], { gamma: 0, alpha: 1 }) // 0.3566749439387324, -ln 0.7
 * categoricalFocalCrossEntropy.grad([0.5, 0.5], [1, 0], { gamma: 0, alpha: 1 }) // [-1, 1]
 */
export const categoricalFocalCrossEntropy = defineLoss<Values, typeof spec, Prepared>({
  name: 'categoricalFocalCrossEntropy',
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

/** Per-class scratch rows of one sample: q, u = 1 - q, log q (clipped where the clip applies), v and L. */
interface Scratch {
  e: Float64Array;
  stats: Float64Array;
  q: Float64Array;
  u: Float64Array;
  logR: Float64Array;
  v: Float64Array;
  others: Float64Array;
}

/** One pass over the rows: the reduced loss, and with `out` the gradient written alongside. */
function pass(c: Prepared, out: FloatArray | null): number | Float64Array {
  const fn = 'categoricalFocalCrossEntropy';
  const scale = gradScale(fn, c.reduction, c.rows);
  const items = c.reduction === 'none' ? new Float64Array(c.rows) : null;
  const n = c.cols;
  const z = (): Float64Array => new Float64Array(n);
  const w: Scratch = { e: z(), stats: new Float64Array(3), q: z(), u: z(), logR: z(), v: z(), others: z() };
  let total = 0;
  let error = 0;
  for (let r = 0; r < c.rows; r++) {
    const sum = c.fromLogits ? logitRow(c, r, w) : probabilityRow(c, r, w);
    const loss = focalRow(c, r, out, scale, sum, w);
    const t = total + loss;
    error += twoSumError(total, loss, t);
    total = t;
    if (items) items[r] = loss;
  }
  return reduce(fn, c.reduction, compensated(total, error), c.rows, items);
}

/** From logits: q = softmax(x) from the row kernel, u = rest / s, log q = (x - m) - log s. Returns NaN: there is no Σp. */
function logitRow(c: Prepared, r: number, w: Scratch): number {
  const { x, cols } = c;
  const o = r * cols;
  const { e, stats, q, u, logR } = w;
  const s = softmaxRow(x, o, cols, e, 0, stats);
  if (s !== s) checkFinite('categoricalFocalCrossEntropy', 'input', x);
  const logS = logRowSum(stats);
  const m = stats[ROW_MAX]!;
  for (let j = 0; j < cols; j++) {
    q[j] = e[j]! / s;
    u[j] = restOf(stats, s, x[o + j]!, e[j]!) / s;
    logR[j] = x[o + j]! - m - logS;
  }
  return NaN;
}

/**
 * On probabilities: q = p / Σp with the row's mass summed apart from its largest p_a (rowMass),
 * so u_a = ρ / Σp and log q_a = -log1p(ρ / p_a); every other q is at most 1/2. Returns Σp.
 */
function probabilityRow(c: Prepared, r: number, w: Scratch): number {
  const { x, cols } = c;
  const o = r * cols;
  const { q, u, logR } = w;
  const { top, rho, sum } = rowMass(x, o, cols);
  for (let j = 0; j < cols; j++) {
    const p = x[o + j]!;
    q[j] = p / sum;
    u[j] = j === top ? rho / sum : (sum - p) / sum;
    logR[j] = j === top ? -Math.log1p(rho / p) : Math.log(q[j]!);
  }
  return sum;
}

/**
 * One row's loss from w.q, w.u, w.logR (the clip applied here), and with `out` its gradient:
 * Σp = `sum` on probabilities (see the TSDoc's gradient). A clipped class has
 * r = ε or 1 - ε, its (1 - r) and log r the constants above, and no gradient.
 */
function focalRow(c: Prepared, r: number, out: FloatArray | null, scale: number, sum: number, w: Scratch): number {
  const { t, cols, gamma } = c;
  const o = r * cols;
  const { q, u, logR, v, others } = w;
  // the class terms summed compensated (twoSumError), as softRow sums crossEntropy's
  let loss = 0;
  let lossError = 0;
  for (let j = 0; j < cols; j++) {
    const tj = t[o + j]!;
    const qj = q[j]!;
    const low = !(qj >= EPSILON);
    const high = qj > ONE_MINUS;
    const a = c.alpha[j]!;
    const uj = low ? ONE_MINUS : high ? 1 - ONE_MINUS : u[j]!;
    const mod = gamma === 0 ? 1 : Math.pow(uj, gamma);
    if (tj !== 0) {
      const term = a * tj * mod * -(low ? LOG_LOW : high ? LOG_HIGH : logR[j]!);
      const next = loss + term;
      lossError += twoSumError(loss, term, next);
      loss = next;
    }
    // v_c = -q_c ∂ℓ/∂r_c = α t u^γ (1 + γ q (-log q) / u) where unclipped
    v[j] = low || high || tj === 0 ? 0 : a * tj * mod * (1 + (gamma * qj * -logR[j]!) / uj);
  }
  if (out) {
    leaveOneOut(v, 0, cols, others);
    for (let j = 0; j < cols; j++) {
      const vu = v[j]! * u[j]!;
      const g = c.fromLogits ? scale * (q[j]! * others[j]! - vu) : (scale * (others[j]! - (vu === 0 ? 0 : vu / q[j]!))) / sum;
      if (g - g !== 0) overflow('categoricalFocalCrossEntropy', `the gradient at input[${o + j}]`, g);
      out[o + j] = g;
    }
  }
  return compensated(loss, lossError);
}

function prepare(input: Values, target: Values, o: Parsed<typeof spec>) {
  const fn = 'categoricalFocalCrossEntropy';
  // from logits the row kernel finds a NaN or ±Infinity in its own pass
  const rows = toRows(fn, 'input', input, { deferScan: o.fromLogits });
  const y = toFlat(fn, 'target', target);
  assertSameShape(fn, rows, 'input', y, 'target');
  assertProbabilities(fn, 'target', y.data);
  if (!o.fromLogits) assertProbabilityRows(fn, rows);
  const C = rows.cols;
  if (typeof o.alpha !== 'number' && o.alpha.length !== C) fail(fn, 'options.alpha', `a number or ${C} values, one per class`, `${o.alpha.length} values`);
  const alpha = typeof o.alpha === 'number' ? new Float64Array(C).fill(o.alpha) : o.alpha;
  const s = o.labelSmoothing;
  const t = s === 0 ? y.data : Float64Array.from(y.data, (v) => v * (1 - s) + s / C);
  return { x: rows.data, t, rows: rows.rows, cols: C, size: rows.data.length, fromLogits: o.fromLogits, gamma: o.gamma, alpha, reduction: o.reduction };
}
