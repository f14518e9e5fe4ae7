import { fail } from '../errors';
import { flag, numberOption, optionalNumber, parseOptions } from '../options';
import { Optimizer, type Parameter } from './optimizer';

export interface SGDOptions {
  /** Learning rate η >= 0 (required, as in PyTorch). */
  lr: number;
  /** Momentum μ >= 0 (default 0: plain SGD). */
  momentum?: number;
  /** Dampening τ of the gradient added to the momentum buffer (default 0). */
  dampening?: number;
  /** L2 penalty λ >= 0 added to the gradient (default 0). */
  weightDecay?: number;
  /** Nesterov momentum (default false; needs momentum > 0 and dampening 0). */
  nesterov?: boolean;
}

const spec = {
  lr: optionalNumber({ min: 0 }),
  momentum: numberOption(0, { min: 0 }),
  dampening: numberOption(0),
  weightDecay: numberOption(0, { min: 0 }),
  nesterov: flag(false),
};

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
 * @example
 * const sgd = new SGD(layer.parameters(), { lr: 0.01 });
 * sgd.zeroGrad(); layer.backward(x, grad); sgd.step();
 */
export class SGD extends Optimizer {
  /** The learning rate; may be changed between steps (a schedule). */
  lr: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  /** Momentum buffers, created on the first step (when momentum ≠ 0). */
  private buffers: Float64Array[] | null = null;

  constructor(params: readonly Parameter[], options: SGDOptions) {
    super('SGD', params);
    const o = parseOptions('SGD', options, spec);
    if (o.lr === undefined) fail('SGD', 'options.lr', 'a finite number >= 0', 'undefined');
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      fail('SGD', 'options.nesterov', 'false unless momentum > 0 and dampening is 0', `true with momentum ${o.momentum} and dampening ${o.dampening}`);
    }
    this.lr = o.lr;
    this.momentum = o.momentum;
    this.dampening = o.dampening;
    this.weightDecay = o.weightDecay;
    this.nesterov = o.nesterov;
  }

  step(): void {
    const { lr, momentum: mu, dampening, weightDecay: wd, nesterov } = this;
    const first = this.buffers === null;
    if (mu !== 0 && first) this.buffers = this.params.map((p) => new Float64Array(p.param.length));
    this.params.forEach(({ param: p, grad }, i) => {
      const buf = this.buffers ? this.buffers[i]! : null;
      for (let j = 0; j < p.length; j++) {
        let g = grad[j]!;
        if (wd !== 0) g = g + wd * p[j]!;
        if (buf) {
          const b = first ? g : buf[j]! * mu + (1 - dampening) * g;
          buf[j] = b;
          g = nesterov ? g + mu * b : b;
        }
        p[j] = p[j]! - lr * g;
      }
    });
  }
}
