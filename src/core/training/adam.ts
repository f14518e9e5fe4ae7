import { describe, fail, overflow } from '../errors';
import { checkNumber, customOption, flag, numberOption, parseOptions, type OptionsOf } from '../options';
import { Optimizer, type Parameter } from './optimizer';
import { firstNonFinite } from './validate';

/** Each beta in [0, 1), as PyTorch's "Invalid beta parameter at index i". */
const betas = customOption<readonly [number, number]>([0.9, 0.999], (fn, name, value) => {
  if (value === undefined) return [0.9, 0.999];
  if (!Array.isArray(value) || value.length !== 2) fail(fn, name, 'an array of two numbers in [0, 1)', describe(value));
  const b1 = checkNumber(fn, `${name}[0]`, value[0], { min: 0, below: 1 });
  const b2 = checkNumber(fn, `${name}[1]`, value[1], { min: 0, below: 1 });
  return [b1, b2];
});

const spec = {
  /** Learning rate η >= 0 (default 1e-3). */
  lr: numberOption(1e-3, { min: 0 }),
  /** (β1, β2), each in [0, 1) (default [0.9, 0.999]). */
  betas,
  /** ε > 0 added to the denominator (default 1e-8); see the class comment for why not 0. */
  eps: numberOption(1e-8, { above: 0 }),
  /** L2 penalty λ >= 0 added to the gradient (default 0; coupled, not AdamW). */
  weightDecay: numberOption(0, { min: 0 }),
  /** Divide by the running maximum of v (AMSGrad; default false). */
  amsgrad: flag(false),
};

/** `Adam`'s options, each optional. */
export type AdamOptions = OptionsOf<typeof spec>;

/**
 * Adam with PyTorch's `torch.optim.Adam` update (`_single_tensor_adam`, same operation
 * order, so float64 results agree with PyTorch's to rounding). At step $t = 1, 2, \dots$, per element:
 *
 * $$g \leftarrow g + \lambda p; \quad m \leftarrow \beta_1 m + (1-\beta_1) g; \quad
 * v \leftarrow \beta_2 v + (1-\beta_2) g^2;$$
 * $$p \leftarrow p - \frac{\eta}{1-\beta_1^t}\cdot
 * \frac{m}{\sqrt{v}/\sqrt{1-\beta_2^t} + \varepsilon}$$
 *
 * (with `amsgrad`, $\hat v \leftarrow \max(\hat v, v)$ replaces $v$ in the denominator).
 * Options: `lr` η (1e-3), `betas` (β1, β2) ([0.9, 0.999]), `eps` ε (1e-8), `weightDecay` λ (0),
 * `amsgrad` (false). PyTorch: `torch.optim.Adam(params, lr, betas, eps, weight_decay, amsgrad)`.
 *
 * Checks, as PyTorch's `__init__`: `lr` and `weightDecay` finite and >= 0, each beta in
 * [0, 1). Stricter: `eps` must be > 0, where PyTorch accepts 0: with ε = 0 an element whose
 * gradient has been exactly 0 so far (an unused weight, a dead unit, the first step from a
 * zero gradient) has m = v = 0 and its update is 0 / 0 = NaN. Unknown options throw.
 * `params` as `Optimizer`. `step()` throws, before changing anything, on a NaN or ±Infinity
 * parameter or gradient (naming `params[i].grad[j]`), and after it when the update overflows
 * (a parameter, or v for a gradient above ~1.3e154 whose square is Infinity).
 *
 * @example
 * const p = { param: new Float64Array([1, 1]), grad: new Float64Array([3, -0.02]) };
 * new Adam([p], { lr: 0.1 }).step();
 * Array.from(p.param) // [0.9000000003333333, 1.099999950000025]
 */
export class Adam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly amsgrad: boolean;
  private rate: number;
  private t = 0;
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  private readonly vMax: Float64Array[] | null;

  constructor(params: readonly Parameter[], options?: AdamOptions) {
    super('Adam', params);
    const o = parseOptions('Adam', options, spec);
    this.rate = o.lr;
    [this.beta1, this.beta2] = o.betas;
    this.eps = o.eps;
    this.weightDecay = o.weightDecay;
    this.amsgrad = o.amsgrad;
    const zeros = () => this.params.map((p) => new Float64Array(p.param.length));
    this.m = zeros();
    this.v = zeros();
    this.vMax = o.amsgrad ? zeros() : null;
  }

  /** The learning rate, a finite number >= 0; may be changed between steps (a schedule). */
  get lr(): number {
    return this.rate;
  }

  set lr(value: number) {
    this.rate = checkNumber('Adam', 'lr', value, { min: 0 });
  }

  /** Steps taken so far (PyTorch's `state['step']`); read-only, since the bias corrections depend on it. */
  get steps(): number {
    return this.t;
  }

  /**
   * One update of every parameter from its gradient (see the class comment).
   *
   * @example
   * const p = { param: new Float64Array([0]), grad: new Float64Array([0]) };
   * const adam = new Adam([p]);
   * adam.step();
   * [p.param[0], adam.steps] // [0, 1]
   */
  step(): void {
    this.checkBeforeStep('Adam.step');
    const { beta1: b1, beta2: b2 } = this;
    const t = ++this.t;
    const stepSize = this.rate / (1 - b1 ** t);
    const bc2Sqrt = Math.sqrt(1 - b2 ** t);
    for (let i = 0; i < this.params.length; i++) {
      const { param, grad } = this.params[i]!;
      const v = this.v[i]!;
      const finite = adamUpdate(param, grad, this.m[i]!, v, this.vMax ? this.vMax[i]! : null, stepSize, bc2Sqrt, this);
      if (finite === 0) continue;
      const j = firstNonFinite(v);
      if (j >= 0) overflow('Adam.step', `the second moment v of params[${i}][${j}] (the squared gradient)`, v[j]!);
      this.overflowedAt('Adam.step', i);
    }
  }
}

/**
 * One Adam update of `p` from `grad` and the moments m, v (and vMax with amsgrad), with the
 * step's bias-corrected `stepSize` and √(1 - β₂^t); returns Σ (p·0 + v·0) over the updated
 * elements, 0 unless one is NaN or ±Infinity (an infinite v, from a gradient above ~1.3e154
 * squared, would leave p finite, m / Infinity = 0, but frozen). A function of its own, so V8
 * optimizes the loop whole (see sgd.ts's sgdUpdate).
 */
function adamUpdate(
  p: Float64Array,
  grad: Float64Array,
  m: Float64Array,
  v: Float64Array,
  vMax: Float64Array | null,
  stepSize: number,
  bc2Sqrt: number,
  o: { beta1: number; beta2: number; eps: number; weightDecay: number },
): number {
  const { beta1: b1, beta2: b2, eps, weightDecay: wd } = o;
  let finite = 0;
  for (let j = 0; j < p.length; j++) {
    let g = grad[j]!;
    if (wd !== 0) g = g + wd * p[j]!;
    m[j] = m[j]! * b1 + (1 - b1) * g;
    v[j] = v[j]! * b2 + (1 - b2) * g * g;
    let vj = v[j]!;
    if (vMax) vj = vMax[j] = Math.max(vMax[j]!, vj);
    const denom = Math.sqrt(vj) / bc2Sqrt + eps;
    const pj = p[j]! + (-stepSize * m[j]!) / denom;
    p[j] = pj;
    finite += pj * 0 + vj * 0;
  }
  return finite;
}
