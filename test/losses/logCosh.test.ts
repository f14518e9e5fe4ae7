import { describe, expect, it } from 'vitest';
import { logCosh } from '../../src';
import { expectClose } from '../helpers/close';

describe('logCosh', () => {
  it('is the mean of log cosh(x - y)', () => {
    expectClose(logCosh([0, 0], [1, -2]), (Math.log(Math.cosh(1)) + Math.log(Math.cosh(2))) / 2);
    expectClose(logCosh([3, 0.5], [1, 0], { reduction: 'none' }), [Math.log(Math.cosh(2)), Math.log(Math.cosh(0.5))]);
    expectClose(logCosh([3, 0.5], [1, 0], { reduction: 'sum' }), Math.log(Math.cosh(2)) + Math.log(Math.cosh(0.5)));
  });

  it('keeps every digit for small differences (d²/2 - d⁴/12) and does not overflow for large ones', () => {
    const d = 1e-4;
    expectClose(logCosh([d], [0]), (d * d) / 2 - d ** 4 / 12, 1e-14);
    expect(logCosh([1e-9], [0])).toBeGreaterThan(0);
    expectClose(logCosh([1000], [0]), 1000 - Math.LN2, 1e-15);
  });

  it('has gradient tanh(x - y), over n for mean', () => {
    expectClose(logCosh.grad([0, 2], [1, -1]), [Math.tanh(-1) / 2, Math.tanh(3) / 2]);
    expect(logCosh.grad([1e6], [0], { reduction: 'sum' })).toEqual([1]);
  });

  it('gives value and gradient in one pass', () => {
    const vg = logCosh.valueAndGrad([0.5, -3], [0, 0]);
    expectClose(vg.value, logCosh([0.5, -3], [0, 0]));
    expectClose(vg.grad, logCosh.grad([0.5, -3], [0, 0]));
  });

  it('rejects mismatched shapes and unknown options', () => {
    expect(() => logCosh([1, 2], [1])).toThrow('logCosh: target must be of shape [2] like input, got shape [1]');
    expect(() => logCosh([1], [1], { delta: 1 } as never)).toThrow('logCosh: option "delta" must be one of reduction, got an unknown option');
  });
});
