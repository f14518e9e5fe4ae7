import { fail } from '../errors';
import { checkNumber, flag, numberOption, optionalNumber, parseOptions, type OptionsOf } from '../options';
import { Optimizer, type Parameter } from './optimizer';

const spec = {
  /** Learning rate η >= 0 (required, as in PyTorch). */
  lr: optionalNumber({ min: 0 }),
  /** Momentum μ >= 0 (default 0: plain SGD). */
  momentum: numberOption(0, { min: 0 }),
  /** Dampening τ in [0, 1] of the gradient added to the momentum buffer (default 0). */
  dampening: numberOption(0, { min: 0, max: 1 }),
  /** L2 penalty λ >= 0 added to the gradient (default 0). */
  weightDecay: numberOption(0, { min: 0 }),
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov: flag(false),
};

/** `SGD`'s options; `lr` is required. */
export type SGDOptions = OptionsOf<typeof spec> & { lr: number };

/**
 * Stochastic gradient descent with PyTorch's `torch.optim.SGD` update, per element:
 *
 * $$g \leftarrow g + \lambda p; \quad
 * b \leftarrow \begin{cases} g & \text{first step} \\ \mu b + (1-\tau) g & \text{after} \end{cases}; \quad
 * g \leftarrow \begin{cases} g + \mu b & \text{nesterov} \\ b & \text{else} \end{cases}; \quad
 * p \leftarrow p - \eta g$$
 *
 * (the momentum lines only when μ ≠ 0; with the defaults it is $p \leftarrow p - \eta g$).
 * Options: `lr` η (required), `momentum` μ (0), `dampening` τ (0), `weightDecay` λ (0),
 * `nesterov` (false). PyTorch: `torch.optim.SGD(params, lr, momentum, dampening, weight_decay, nesterov)`.
 *
 * Checks, as PyTorch's: `lr`, `momentum`, `weightDecay` finite and >= 0, nesterov only with
 * momentum > 0 and dampening 0; stricter: `dampening` in [0, 1] (outside it the gradient's
 * weight 1 - τ is negative or above 1), unknown options throw. `params` as `Optimizer`.
 * `step()` throws, before changing anything, on a NaN or ±Infinity parameter or gradient
 * (naming `params[i].grad[j]`), and after it on an update that overflows.
 *
 * @example
 * const p = { param: new Float64Array([1, 2]), grad: new Float64Array([0.5, -4]) };
 * new SGD([p], { lr: 0.1 }).step();
 * Array.from(p.param) // [0.95, 2.4]
 */
export class SGD extends Optimizer {
  readonly momentum: number;
  readonly dampening: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  private rate: number;
  /** Momentum buffers, created on the first step (when momentum ≠ 0). */
  private buffers: Float64Array[] | null = null;

  constructor(params: readonly Parameter[], options: SGDOptions) {
    super('SGD', params);
    const o = parseOptions('SGD', options, spec);
    if (o.lr === undefined) fail('SGD', 'options.lr', 'a finite number >= 0', 'undefined');
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      fail('SGD', 'options.nesterov', 'false unless momentum > 0 and dampening is 0', `true with momentum ${o.momentum} and dampening ${o.dampening}`);
    }
    this.rate = o.lr;
    this.momentum = o.momentum;
    this.dampening = o.dampening;
    this.weightDecay = o.weightDecay;
    this.nesterov = o.nesterov;
  }

  /** The learning rate, a finite number >= 0; may be changed between steps (a schedule). */
  get lr(): number {
    return this.rate;
  }

  set lr(value: number) {
    this.rate = checkNumber('SGD', 'lr', value, { min: 0 });
  }

  /**
   * One update of every parameter from its gradient (see the class comment).
   *
   * @example
   * const p = { param: new Float64Array([0]), grad: new Float64Array([1]) };
   * const sgd = new SGD([p], { lr: 1, momentum: 0.9 });
   * sgd.step(); sgd.step();
   * p.param[0] // -2.9
   */
  step(): void {
    this.checkBeforeStep('SGD.step');
    const first = this.buffers === null;
    if (this.momentum !== 0 && first) this.buffers = this.params.map((p) => new Float64Array(p.param.length));
    for (let i = 0; i < this.params.length; i++) {
      const { param, grad } = this.params[i]!;
      const finite = sgdUpdate(param, grad, this.buffers ? this.buffers[i]! : null, first, this);
      if (finite !== 0) this.overflowedAt('SGD.step', i);
    }
  }
}

/**
 * One SGD update of `p` from `grad` (and the momentum buffer `buf`, when momentum is on) with the
 * settings of `o`; returns Σ p·0 over the updated p, 0 unless one of them is NaN or ±Infinity.
 * A function of its own, so V8 optimizes the loop whole: compiled on stack replacement inside
 * `step`, it fell back to the interpreter at its end on every call (about 8x slower).
 */
function sgdUpdate(
  p: Float64Array,
  grad: Float64Array,
  buf: Float64Array | null,
  first: boolean,
  o: { lr: number; momentum: number; dampening: number; weightDecay: number; nesterov: boolean },
): number {
  const { lr, momentum: mu, dampening, weightDecay: wd, nesterov } = o;
  let finite = 0;
  for (let j = 0; j < p.length; j++) {
    let g = grad[j]!;
    if (wd !== 0) g = g + wd * p[j]!;
    if (buf) {
      const b = first ? g : buf[j]! * mu + (1 - dampening) * g;
      buf[j] = b;
      g = nesterov ? g + mu * b : b;
    }
    const pj = p[j]! - lr * g;
    p[j] = pj;
    finite += pj * 0;
  }
  return finite;
}
