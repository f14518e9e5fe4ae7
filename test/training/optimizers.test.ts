import { describe, expect, it } from 'vitest';
import { Adam, LossInputError, SGD, type Parameter } from '../../src';
import adamFixture from '../fixtures/torch/optim_adam.json';
import sgdFixture from '../fixtures/torch/optim_sgd.json';
import { expectClose } from '../helpers/close';

interface Case {
  name: string;
  options: Record<string, unknown>;
  initial: number[][];
  grads: number[][][];
  after: number[][][];
}

/** Feeds the fixture's gradients step by step and checks the parameters after every step. */
function replay(c: Case, make: (params: Parameter[]) => { step(): void; zeroGrad(): void }, tol: number): void {
  const params = c.initial.map((p) => ({ param: Float64Array.from(p), grad: new Float64Array(p.length) }));
  const opt = make(params);
  c.grads.forEach((grads, step) => {
    opt.zeroGrad();
    params.forEach((p, i) => p.grad.set(grads[i]!));
    opt.step();
    params.forEach((p, i) => expectClose(p.param, c.after[step]![i], tol));
  });
}

describe('SGD', () => {
  for (const c of sgdFixture.cases as Case[]) {
    it(`matches torch.optim.SGD step by step: ${c.name}`, () => {
      replay(c, (params) => new SGD(params, c.options as never), 1e-15);
    });
  }

  it('moves against the gradient by lr times it: p - lr g', () => {
    const p = { param: new Float64Array([1, 2]), grad: new Float64Array([0.5, -4]) };
    new SGD([p], { lr: 0.1 }).step();
    expect(Array.from(p.param)).toEqual([1 - 0.1 * 0.5, 2 - 0.1 * -4]);
  });

  it('starts the momentum buffer at the first gradient, then b = mu b + (1 - dampening) g', () => {
    const p = { param: new Float64Array([0]), grad: new Float64Array([1]) };
    const sgd = new SGD([p], { lr: 1, momentum: 0.9, dampening: 0.5 });
    sgd.step();
    expect(p.param[0]).toBe(-1);
    sgd.step();
    expect(p.param[0]).toBe(-1 - (0.9 * 1 + 0.5 * 1));
  });

  it('names the option on bad options', () => {
    const params = [{ param: new Float64Array(1), grad: new Float64Array(1) }];
    expect(() => new SGD(params, {} as never)).toThrow('SGD: options.lr must be a finite number >= 0, got undefined');
    expect(() => new SGD(params, { lr: -1 })).toThrow('SGD: options.lr must be a finite number >= 0, got -1');
    expect(() => new SGD(params, { lr: 0.1, momentum: -0.5 })).toThrow('SGD: options.momentum must be a finite number >= 0, got -0.5');
    expect(() => new SGD(params, { lr: 0.1, nesterov: true })).toThrow(
      'SGD: options.nesterov must be false unless momentum > 0 and dampening is 0, got true with momentum 0 and dampening 0',
    );
    expect(() => new SGD(params, { lr: 0.1, lr2: 1 } as never)).toThrow('SGD: option "lr2" must be one of lr, momentum, dampening, weightDecay, nesterov');
    expect(() => new SGD([], { lr: 0.1 })).toThrow('SGD: params must be a non-empty array of { param, grad }, got an array of length 0');
    expect(() => new SGD([{ param: new Float64Array(2), grad: new Float64Array(3) }], { lr: 0.1 })).toThrow(
      'SGD: params[0].grad.length must be 2, got 3',
    );
    expect(() => new SGD([{ param: new Float32Array(2), grad: new Float64Array(2) } as never], { lr: 0.1 })).toThrow(LossInputError);
  });
});

describe('Adam', () => {
  for (const c of adamFixture.cases as Case[]) {
    it(`matches torch.optim.Adam step by step: ${c.name}`, () => {
      replay(c, (params) => new Adam(params, c.options as never), 1e-14);
    });
  }

  it('takes a first step of lr against the sign of the gradient (m / sqrt(v) = g / |g| after bias correction)', () => {
    const p = { param: new Float64Array([1, 1]), grad: new Float64Array([3, -0.02]) };
    new Adam([p], { lr: 0.1, eps: 0 }).step();
    expectClose(p.param, [1 - 0.1, 1 + 0.1], 1e-15);
  });

  it('zeroes the gradients and counts its steps', () => {
    const p = { param: new Float64Array([1]), grad: new Float64Array([2]) };
    const adam = new Adam([p]);
    adam.step();
    adam.zeroGrad();
    expect(p.grad[0]).toBe(0);
    expect(adam.steps).toBe(1);
  });

  it('names the option on bad options', () => {
    const params = [{ param: new Float64Array(1), grad: new Float64Array(1) }];
    expect(() => new Adam(params, { betas: [0.9, 1] })).toThrow('Adam: options.betas must be two numbers in [0, 1), got an array of length 2');
    expect(() => new Adam(params, { eps: -1 })).toThrow('Adam: options.eps must be a finite number >= 0, got -1');
    expect(() => new Adam(params, { lr: Number.NaN })).toThrow('Adam: options.lr must be a finite number >= 0, got NaN');
    expect(() => new Adam(params, { amsgrad: 1 } as never)).toThrow('Adam: options.amsgrad must be true or false, got 1');
  });
});
