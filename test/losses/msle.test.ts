import { describe, expect, it } from 'vitest';
import { mse, msle } from '../../src';
import { expectClose } from '../helpers/close';

describe('msle', () => {
  const x = [0.5, 3, 10];
  const y = [1, 2.5, 0.25];

  it('is the mse of log(1 + x) against log(1 + y)', () => {
    expectClose(msle(x, y), mse(x.map(Math.log1p), y.map(Math.log1p)));
    expectClose(msle(x, y, { reduction: 'sum' }), 3 * mse(x.map(Math.log1p), y.map(Math.log1p)));
  });

  it('counts values below 1e-7 as 1e-7, as Keras', () => {
    const l = Math.log1p(1e-7);
    expectClose(msle([-2, 0, 1], [1, -1, 0], { reduction: 'none' }), [(l - Math.LN2) ** 2, 0, (Math.LN2 - l) ** 2]);
  });

  it('has gradient 2 (log(1 + x) - log(1 + y)) / (1 + x), 0 where the floor holds', () => {
    expectClose(
      msle.grad(x, y),
      x.map((v, i) => (2 * (Math.log1p(v) - Math.log1p(y[i]!))) / (1 + v) / 3),
    );
    expect(msle.grad([-2, 0], [1, 1], { reduction: 'sum' })).toEqual([0, 0]);
  });

  it('gives value and gradient in one pass', () => {
    const vg = msle.valueAndGrad(x, y, { reduction: 'none' });
    expectClose(vg.value, msle(x, y, { reduction: 'none' }));
    expectClose(vg.grad, msle.grad(x, y, { reduction: 'none' }));
  });

  it('rejects an unknown option', () => {
    expect(() => msle([1], [1], { eps: 1 } as never)).toThrow('msle: option "eps" must be one of reduction, got an unknown option');
  });
});
