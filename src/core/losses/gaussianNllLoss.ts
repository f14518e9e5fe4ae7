import { fail, showShape } from '../errors';
import { flag, numberOption, reduction, type OptionsOf, type Parsed } from '../options';
import { gradScale, reduce } from '../reduce';
import { assertSameShape, toFlat } from '../tensor/flatten';
import type { FloatArray, GradOf, Values } from '../tensor/types';
import { defineMultiLoss } from './defineLoss';
import { RunningTotal } from '../math/twoSum';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** Adds the constant $\frac12\log 2\pi$ to each term (default false). */
  full: flag(false),
  /** ε > 0: variances below it count as ε (default 1e-6). */
  eps: numberOption(1e-6, { above: 0 }),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type GaussianNllLossOptions = OptionsOf<typeof spec>;

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * Gaussian negative log-likelihood (가우시안 음의 로그 가능도) of targets $y$ under predicted means
 * $x$ and variances $\sigma^2$. Elementwise, with $v_i = \max(\sigma^2_i, \epsilon)$:
 *
 * $$\ell_i = \tfrac12\left(\log v_i + \frac{(x_i - y_i)^2}{v_i}\right) \;\left(+\ \tfrac12\log 2\pi\ \text{if full}\right)$$
 *
 * - `reduction`: `'mean'` (default) $\frac1n\sum\ell_i$, `'sum'` $\sum\ell_i$, `'none'` the $\ell_i$.
 * - `full`: default false; `eps`: ε, default 1e-6, > 0.
 * - Shapes: `input` and `target` any equal shape; `variance` the same shape, or the input's shape without
 *   its last axis, or with the last axis 1 (one variance per row, as PyTorch); a negative variance throws.
 * - Gradient: `grad` returns `[dInput, dVariance]`: $\partial\ell_i/\partial x_i = (x_i - y_i)/v_i$ and
 *   $\partial\ell_i/\partial\sigma^2_i = \frac12\left(1/v_i - (x_i - y_i)^2/v_i^2\right)$, summed over a row for a
 *   shared variance; over $n$ for `'mean'`. Like PyTorch's autograd (its clamp runs under `no_grad`), the
 *   variance gradient is taken at the clamped $v_i$, also where $\sigma^2_i < \epsilon$.
 * - PyTorch: `F.gaussian_nll_loss(input, target, var, full=False, eps=1e-6)`.
 *
 * @example
 * gaussianNllLoss([1, 2], [0, 0], [1, 4]) // 0.8465735902799727
 * gaussianNllLoss.grad([1, 2], [0, 0], [2, 1]) // [[0.25, 1], [0.0625, -0.75]]
 */
export const gaussianNllLoss = defineMultiLoss<[input: Values, target: Values, variance: Values], [GradOf<Values>, GradOf<Values>], typeof spec, Prepared>({
  name: 'gaussianNllLoss',
  options: spec,
  args: ['input', 'target', 'variance'],
  differentiable: [0, 2],
  prepare,
  sizes: (c) => [c.size, c.v.length],
  value: (c) => pass(c, null, null),
  grad(c, [dx, dv]) {
    pass(c, dx!, dv!);
  },
  valueAndGrad: (c, [dx, dv]) => pass(c, dx!, dv!),
  writesEveryElement: true,
});

type Prepared = ReturnType<typeof prepare>;

/** The reduced loss (the items for `'none'`), and with dx, dv both gradients, in one pass. */
function pass(c: Prepared, dx: FloatArray | null, dv: FloatArray | null): number | Float64Array {
  const { x, y, v, size, per, eps } = c;
  const s = dx ? gradScale('gaussianNllLoss', c.reduction, size) : 0;
  const items = c.reduction === 'none' ? new Float64Array(size) : null;
  const k = c.full ? HALF_LOG_2PI : 0;
  const total = new RunningTotal();
  // d/dv sums `per` terms a variance: in float64 (a Float32Array out gets the rounded sums)
  const sums = dv === null ? null : dv instanceof Float64Array ? dv.fill(0) : new Float64Array(dv.length);
  for (let i = 0; i < size; i++) {
    const j = per === 1 ? i : Math.floor(i / per);
    const vi = v[j]! > eps ? v[j]! : eps;
    const d = x[i]! - y[i]!;
    // d (d / v), not d² / v: d² may overflow (or underflow) where d² / v does not
    const q = d * (d / vi);
    const l = 0.5 * (Math.log(vi) + q) + k;
    total.add(l);
    if (items) items[i] = l;
    // d/dx = d / v; d/dv = (1/v - d²/v²) / 2 = (1 - q) / (2 v), at the clamped v (as PyTorch's autograd)
    if (dx) {
      dx[i] = (s * d) / vi;
      sums![j] = sums![j]! + (0.5 * s * (1 - q)) / vi;
    }
  }
  if (dv && sums !== dv) dv.set(sums!);
  // a gradient that overflows (x - y = 1e300, or float32 storage) is named by defineMultiLoss's scan
  return reduce('gaussianNllLoss', c.reduction, total.value(), size, items);
}

function prepare(args: readonly unknown[], o: Parsed<typeof spec>) {
  const fn = 'gaussianNllLoss';
  const a = toFlat(fn, 'input', args[0] as Values);
  const t = toFlat(fn, 'target', args[1] as Values);
  assertSameShape(fn, a, 'input', t, 'target');
  const w = toFlat(fn, 'variance', args[2] as Values);
  const same = (p: readonly number[], q: readonly number[]) => p.length === q.length && p.every((d, i) => d === q[i]);
  const lead = a.shape.slice(0, -1);
  let per = 1;
  if (!same(w.shape, a.shape)) {
    // PyTorch: var of the input's shape without its last axis, or with that axis 1: one variance per row
    if (a.shape.length > 0 && (same(w.shape, lead) || (w.shape.length === a.shape.length && same(w.shape.slice(0, -1), lead) && w.shape[w.shape.length - 1] === 1))) {
      per = a.shape[a.shape.length - 1]!;
    } else {
      const rows = showShape(lead);
      fail(fn, 'variance', `of shape ${showShape(a.shape)} like input, ${rows}, or ${showShape([...lead, 1])}`, `shape ${showShape(w.shape)}`);
    }
  }
  for (let i = 0; i < w.data.length; i++) if (!(w.data[i]! >= 0)) fail(fn, `variance[${i}]`, 'a variance >= 0', String(w.data[i]));
  return { x: a.data, y: t.data, v: w.data, size: a.data.length, per, reduction: o.reduction, full: o.full, eps: o.eps };
}
