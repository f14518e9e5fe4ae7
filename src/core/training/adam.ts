import { describe, fail } from '../errors';
import { flag, numberOption, parseOptions, type Validator } from '../options';
import { Optimizer, type Parameter } from './optimizer';

export interface AdamOptions {
  /** Learning rate η >= 0 (default 1e-3). */
  lr?: number;
  /** (β1, β2), each in [0, 1) (default [0.9, 0.999]). */
  betas?: readonly [number, number];
  /** ε >= 0 added to the denominator (default 1e-8). */
  eps?: number;
  /** L2 penalty λ >= 0 added to the gradient (default 0; coupled, not AdamW). */
  weightDecay?: number;
  /** Divide by the running maximum of v (AMSGrad; default false). */
  amsgrad?: boolean;
}

const betas: Validator<[number, number]> = (fn, name, value) => {
  if (value === undefined) return [0.9, 0.999];
  const ok = Array.isArray(value) && value.length === 2 && value.every((b) => typeof b === 'number' && b >= 0 && b < 1);
  if (!ok) fail(fn, name, 'two numbers in [0, 1)', describe(value));
  return [value[0], value[1]];
};

const spec = {
  lr: numberOption(1e-3, { min: 0 }),
  betas,
  eps: numberOption(1e-8, { min: 0 }),
  weightDecay: numberOption(0, { min: 0 }),
  amsgrad: flag(false),
};

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
 * @example
 * const adam = new Adam(layer.parameters(), { lr: 0.1 });
 * adam.zeroGrad(); layer.backward(x, grad); adam.step();
 */
export class Adam extends Optimizer {
  /** The learning rate; may be changed between steps (a schedule). */
  lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly amsgrad: boolean;
  /** Steps taken so far (PyTorch's `state['step']`). */
  steps = 0;
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  private readonly vMax: Float64Array[] | null;

  constructor(params: readonly Parameter[], options?: AdamOptions) {
    super('Adam', params);
    const o = parseOptions('Adam', options, spec);
    this.lr = o.lr;
    [this.beta1, this.beta2] = o.betas;
    this.eps = o.eps;
    this.weightDecay = o.weightDecay;
    this.amsgrad = o.amsgrad;
    const zeros = () => this.params.map((p) => new Float64Array(p.param.length));
    this.m = zeros();
    this.v = zeros();
    this.vMax = o.amsgrad ? zeros() : null;
  }

  step(): void {
    const { beta1: b1, beta2: b2, eps, weightDecay: wd } = this;
    const t = ++this.steps;
    const stepSize = this.lr / (1 - b1 ** t);
    const bc2Sqrt = Math.sqrt(1 - b2 ** t);
    this.params.forEach(({ param: p, grad }, i) => {
      const m = this.m[i]!;
      const v = this.v[i]!;
      const vMax = this.vMax ? this.vMax[i]! : null;
      for (let j = 0; j < p.length; j++) {
        let g = grad[j]!;
        if (wd !== 0) g = g + wd * p[j]!;
        m[j] = m[j]! * b1 + (1 - b1) * g;
        v[j] = v[j]! * b2 + (1 - b2) * g * g;
        let vj = v[j]!;
        if (vMax) vj = vMax[j] = Math.max(vMax[j]!, vj);
        const denom = Math.sqrt(vj) / bc2Sqrt + eps;
        p[j] = p[j]! + (-stepSize * m[j]!) / denom;
      }
    });
  }
}
