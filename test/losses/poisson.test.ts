import { describe, expect, it } from 'vitest';
import { poisson } from '../../src';
import { expectClose } from '../helpers/close';

describe('poisson', () => {
  it('is x - y log(x + 1e-7), averaged', () => {
    expectClose(poisson([1, 2], [1, 0]), (1 - Math.log(1 + 1e-7) + 2) / 2);
    expectClose(poisson([0.5, 4], [3, 2], { reduction: 'none' }), [0.5 - 3 * Math.log(0.5 + 1e-7), 4 - 2 * Math.log(4 + 1e-7)]);
    expectClose(poisson([0], [0], { reduction: 'sum' }), 0);
  });

  it('has gradient 1 - y / (x + 1e-7), over n for mean', () => {
    expectClose(poisson.grad([2, 0.5], [4, 0]), [(1 - 4 / (2 + 1e-7)) / 2, 1 / 2]);
  });

  it('gives value and gradient in one pass', () => {
    const vg = poisson.valueAndGrad([2, 0.5], [4, 0], { reduction: 'sum' });
    expectClose(vg.value, poisson([2, 0.5], [4, 0], { reduction: 'sum' }));
    expectClose(vg.grad, poisson.grad([2, 0.5], [4, 0], { reduction: 'sum' }));
  });

  it('rejects a negative rate, naming its index', () => {
    expect(() => poisson([1, -2], [0, 0])).toThrow('poisson: input[1] must be a rate >= 0, got -2');
    expect(() => poisson.grad(new Float64Array([-1e-9]), new Float64Array([1]))).toThrow('poisson: input[0] must be a rate >= 0, got -1e-9');
  });
});
