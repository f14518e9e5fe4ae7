import { describe, fail } from '../errors';

/** A trainable array and its gradient, updated in place by an optimizer. */
export interface Parameter {
  readonly param: Float64Array;
  readonly grad: Float64Array;
}

/**
 * What every optimizer shares: the parameter list (checked once) and `zeroGrad()`.
 * Subclasses implement `step()`; see `SGD` and `Adam`.
 */
export abstract class Optimizer {
  readonly params: readonly Parameter[];

  constructor(fn: string, params: readonly Parameter[]) {
    if (!Array.isArray(params) || params.length === 0) fail(fn, 'params', 'a non-empty array of { param, grad }', describe(params));
    params.forEach((p, i) => {
      const ok = p && p.param instanceof Float64Array && p.grad instanceof Float64Array;
      if (!ok) fail(fn, `params[${i}]`, '{ param, grad } of two Float64Arrays', describe(p));
      if (p.grad.length !== p.param.length) fail(fn, `params[${i}].grad.length`, String(p.param.length), String(p.grad.length));
    });
    this.params = params.slice();
  }

  /** Updates every parameter once from its current gradient. */
  abstract step(): void;

  /** Sets every gradient to 0 (PyTorch's `zero_grad(set_to_none=False)`). */
  zeroGrad(): void {
    for (const p of this.params) p.grad.fill(0);
  }
}
