import { describe, expect, it } from 'vitest';
import { poisson, poissonNllLoss } from '../../src';
import { expectClose } from '../helpers/close';

describe('poissonNllLoss', () => {
  const x = [0.5, -1, 2];
  const y = [1, 0, 3];

  it('is e^x - y x on log-rates (the default)', () => {
    expectClose(
      poissonNllLoss(x, y, { reduction: 'none' }),
      x.map((v, i) => Math.exp(v) - y[i]! * v),
    );
    expectClose(poissonNllLoss(x, y), x.reduce((s, v, i) => s + Math.exp(v) - y[i]! * v, 0) / 3);
  });

  it('is x - y log(x + eps) on rates, which is poisson at eps 1e-7', () => {
    const rates = [0.5, 2, 0];
    expectClose(
      poissonNllLoss(rates, y, { logInput: false, reduction: 'none' }),
      rates.map((v, i) => v - y[i]! * Math.log(v + 1e-8)),
    );
    expectClose(poissonNllLoss(rates, y, { logInput: false, eps: 1e-7 }), poisson(rates, y));
    expectClose(poissonNllLoss.grad(rates, y, { logInput: false, eps: 1e-7 }), poisson.grad(rates, y));
  });

  it('adds Stirling’s term y log y - y + log(2 pi y) / 2 where y > 1 when full', () => {
    const stirling = 3 * Math.log(3) - 3 + 0.5 * Math.log(2 * Math.PI * 3);
    const plain = poissonNllLoss(x, y, { reduction: 'none' });
    expectClose(poissonNllLoss(x, y, { full: true, reduction: 'none' }), [plain[0]!, plain[1]!, plain[2]! + stirling]);
    expectClose(poissonNllLoss.grad(x, y, { full: true }), poissonNllLoss.grad(x, y));
  });

  it('has gradient e^x - y or 1 - y / (x + eps), over n for mean', () => {
    expectClose(
      poissonNllLoss.grad(x, y),
      x.map((v, i) => (Math.exp(v) - y[i]!) / 3),
    );
    expectClose(poissonNllLoss.grad([2], [4], { logInput: false, reduction: 'sum' }), [1 - 4 / (2 + 1e-8)]);
  });

  it('gives value and gradient in one pass', () => {
    const vg = poissonNllLoss.valueAndGrad(x, y, { full: true });
    expectClose(vg.value, poissonNllLoss(x, y, { full: true }));
    expectClose(vg.grad, poissonNllLoss.grad(x, y, { full: true }));
  });

  it('rejects a negative rate, a bad eps and a non-boolean flag', () => {
    expect(() => poissonNllLoss([1, -2], [0, 0], { logInput: false })).toThrow('poissonNllLoss: input[1] must be a rate >= 0 (logInput is false), got -2');
    expect(() => poissonNllLoss([1], [0], { eps: 0 })).toThrow('poissonNllLoss: options.eps must be a finite number > 0, got 0');
    expect(() => poissonNllLoss([1], [0], { full: 1 } as never)).toThrow('poissonNllLoss: options.full must be true or false, got 1');
  });
});
