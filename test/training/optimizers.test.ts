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
    expect(() => new SGD([{ param: new Float64Array(2), grad: new Float64Array(3) }], { lr: 0.1 })).toThrow('SGD: params[0].grad.length must be 2, got 3');
    expect(() => new SGD([{ param: new Float32Array(2), grad: new Float64Array(2) } as never], { lr: 0.1 })).toThrow(LossInputError);
  });
});

describe('Adam', () => {
  for (const c of adamFixture.cases as Case[]) {
    it(`matches torch.optim.Adam step by step: ${c.name}`, () => {
      replay(c, (params) => new Adam(params, c.options), 1e-14);
    });
  }

  it('takes a first step of lr against the sign of the gradient (m / sqrt(v) = g / |g| after bias correction)', () => {
    const p = { param: new Float64Array([1, 1]), grad: new Float64Array([3, -0.02]) };
    new Adam([p], { lr: 0.1, eps: Number.MIN_VALUE }).step(); // the smallest eps > 0: |g| + eps rounds to |g|
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
    expect(() => new Adam(params, { betas: [0.9, 1] })).toThrow('Adam: options.betas[1] must be a finite number >= 0 and < 1, got 1');
    expect(() => new Adam(params, { betas: [-0.1, 0.9] })).toThrow('Adam: options.betas[0] must be a finite number >= 0 and < 1, got -0.1');
    expect(() => new Adam(params, { betas: [0.9, '0.99'] } as never)).toThrow('Adam: options.betas[1] must be a finite number >= 0 and < 1, got "0.99"');
    expect(() => new Adam(params, { betas: [0.9] } as never)).toThrow('Adam: options.betas must be an array of two numbers in [0, 1), got an array of length 1');
    expect(() => new Adam(params, { eps: -1 })).toThrow('Adam: options.eps must be a finite number > 0, got -1');
    expect(() => new Adam(params, { weightDecay: -0.1 })).toThrow('Adam: options.weightDecay must be a finite number >= 0, got -0.1');
    expect(() => new Adam(params, { lr: '0.1' } as never)).toThrow('Adam: options.lr must be a finite number >= 0, got "0.1"');
    expect(() => new Adam(params, { lr: Infinity })).toThrow('Adam: options.lr must be a finite number >= 0, got Infinity');
    expect(() => new Adam(params, { lr: Number.NaN })).toThrow('Adam: options.lr must be a finite number >= 0, got NaN');
    expect(() => new Adam(params, { amsgrad: 1 } as never)).toThrow('Adam: options.amsgrad must be true or false, got 1');
  });
});

describe('Adam at the boundary', () => {
  const one = () => [{ param: new Float64Array([1, 2]), grad: new Float64Array([0, 0.5]) }];

  it('rejects eps = 0, where an element whose gradient is exactly 0 would update by 0 / 0 = NaN', () => {
    expect(() => new Adam(one(), { eps: 0 })).toThrow('Adam: options.eps must be a finite number > 0, got 0');
    const p = one();
    new Adam(p, { eps: Number.MIN_VALUE }).step();
    expect(p[0]!.param[0]).toBe(1);
  });

  it('refuses to step on a NaN or Infinity gradient or parameter, naming the element and changing nothing', () => {
    const params = one();
    const adam = new Adam(params, { lr: 0.1, weightDecay: 0.1 });
    params[0]!.grad[1] = Number.NaN;
    expect(() => adam.step()).toThrow('Adam.step: params[0].grad[1] must be a finite number, got NaN');
    params[0]!.grad[1] = -Infinity;
    expect(() => adam.step()).toThrow('Adam.step: params[0].grad[1] must be a finite number, got -Infinity');
    params[0]!.grad[1] = 0.5;
    params[0]!.param[0] = Infinity;
    expect(() => adam.step()).toThrow('Adam.step: params[0].param[0] must be a finite number, got Infinity');
    params[0]!.param[0] = 1;
    expect(adam.steps).toBe(0);
    adam.step();
    const fresh = one();
    new Adam(fresh, { lr: 0.1, weightDecay: 0.1 }).step();
    expect(Array.from(params[0]!.param)).toEqual(Array.from(fresh[0]!.param));
  });

  it('throws when a gradient is so large that its square, the second moment, overflows', () => {
    const params = one();
    params[0]!.grad[1] = 1e200;
    expect(() => new Adam(params).step()).toThrow('Adam.step: the second moment v of params[0][1] (the squared gradient) must be finite, got Infinity: it overflows float64');
  });

  it('checks a new learning rate, and keeps its step count read-only', () => {
    const adam = new Adam(one());
    expect(() => {
      adam.lr = Number.NaN;
    }).toThrow('Adam: lr must be a finite number >= 0, got NaN');
    adam.lr = 0.5;
    expect(adam.lr).toBe(0.5);
    // reading the accessor, not calling it
    // eslint-disable-next-line @typescript-eslint/unbound-method
    expect(Object.getOwnPropertyDescriptor(Adam.prototype, 'steps')?.set).toBeUndefined();
  });

  it('counts only a plain object own keys as options', () => {
    expect(() => new Adam(one(), { constructor: 1 } as never)).toThrow('Adam: option "constructor" must be one of lr, betas, eps, weightDecay, amsgrad');
    expect(() => new Adam(one(), JSON.parse('{"__proto__": {"eps": 0}}') as never)).toThrow('Adam: option "__proto__" must be one of');
    expect(
      () =>
        new Adam(
          one(),
          new (class {
            lr = 0.1;
          })() as never,
        ),
    ).toThrow('Adam: options must be a plain object, got an object');
    expect(() => new Adam(one(), { lr: undefined })).not.toThrow();
  });
});

describe('SGD at the boundary', () => {
  const one = () => [{ param: new Float64Array([1, 2]), grad: new Float64Array([10, 0.5]) }];

  it('refuses to step on a non-finite gradient, naming the parameter and element, before changing anything', () => {
    const params = one();
    const sgd = new SGD(params, { lr: 0.1, momentum: 0.9 });
    params[0]!.grad[0] = Infinity;
    expect(() => sgd.step()).toThrow('SGD.step: params[0].grad[0] must be a finite number, got Infinity');
    expect(Array.from(params[0]!.param)).toEqual([1, 2]);
  });

  it('throws when the update overflows instead of leaving Infinity in the parameters', () => {
    expect(() => new SGD(one(), { lr: 1e308 }).step()).toThrow('SGD.step: params[0].param[0] after the update must be finite, got -Infinity: it overflows float64');
  });

  it('rejects dampening outside [0, 1], where the gradient weight 1 - dampening leaves [0, 1]', () => {
    expect(() => new SGD(one(), { lr: 0.1, momentum: 0.9, dampening: 2 })).toThrow('SGD: options.dampening must be a finite number >= 0 and <= 1, got 2');
    expect(() => new SGD(one(), { lr: 0.1, momentum: 0.9, dampening: -0.5 })).toThrow('got -0.5');
  });

  it('checks a new learning rate', () => {
    const sgd = new SGD(one(), { lr: 0.1 });
    expect(() => {
      sgd.lr = -1;
    }).toThrow('SGD: lr must be a finite number >= 0, got -1');
    expect(sgd.lr).toBe(0.1);
  });

  it('rejects absent options, a misspelt key and prototype names', () => {
    expect(() => new SGD(one(), undefined as never)).toThrow('SGD: options.lr must be a finite number >= 0, got undefined');
    expect(() => new SGD(one(), { lr: 0.1, toString: 'x' } as never)).toThrow('SGD: option "toString" must be one of');
    expect(() => new SGD(one(), { lr: 0.1, nesterov: 'true' } as never)).toThrow('SGD: options.nesterov must be true or false, got "true"');
  });
});

describe('the parameter list of an optimizer', () => {
  const pair = (n: number) => ({ param: new Float64Array(n), grad: new Float64Array(n) });

  it('rejects holes and pairs that are not two Float64Arrays, describing what came', () => {
    // eslint-disable-next-line no-sparse-arrays
    expect(() => new Adam([, pair(1)] as never)).toThrow('Adam: params[0] must be { param, grad } of two Float64Arrays, got undefined');
    expect(() => new Adam([{ param: new Float32Array(1), grad: new Float64Array(1) }] as never)).toThrow(
      'Adam: params[0] must be { param, grad } of two Float64Arrays, got { param: a Float32Array, grad: a Float64Array }',
    );
    expect(() => new Adam('p' as never)).toThrow('Adam: params must be a non-empty array of { param, grad }, got "p"');
  });

  it('rejects a param and grad of different lengths', () => {
    expect(() => new Adam([{ param: new Float64Array(2), grad: new Float64Array(3) }])).toThrow('Adam: params[0].grad.length must be 2, got 3');
  });

  it('rejects aliased arrays: one parameter twice, a grad overlapping its param, but not disjoint views of one buffer', () => {
    const p = pair(2);
    expect(() => new SGD([p, p], { lr: 0.1 })).toThrow('SGD: params[1].param must be an array sharing no memory with params[0].param, got an overlapping view');
    const b = new Float64Array(4);
    expect(() => new SGD([{ param: b.subarray(0, 2), grad: b.subarray(1, 3) }], { lr: 0.1 })).toThrow(
      'SGD: params[0].grad must be an array sharing no memory with params[0].param',
    );
    expect(() => new SGD([{ param: b.subarray(0, 2), grad: b.subarray(2, 4) }], { lr: 0.1 })).not.toThrow();
  });

  it('reads each pair once: replacing param on the caller object later changes nothing', () => {
    const p = { param: new Float64Array([1]), grad: new Float64Array([1]) };
    const sgd = new SGD([p], { lr: 1 });
    const original = p.param;
    (p as { param: Float64Array }).param = new Float64Array([5, 5]);
    sgd.step();
    expect(original[0]).toBe(0);
  });

  it('updates nothing for a parameter of length 0', () => {
    const adam = new Adam([pair(0), pair(1)]);
    adam.step();
    expect(adam.steps).toBe(1);
  });
});
