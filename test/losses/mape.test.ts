import { describe, expect, it } from 'vitest';
import { mape } from '../../src';
import { expectClose } from '../helpers/close';

describe('mape', () => {
  it('is 100 |y - x| / |y|, averaged', () => {
    expectClose(mape([1.5, 3], [2, 4]), ((100 * 0.5) / 2 + (100 * 1) / 4) / 2);
    expectClose(mape([1.5, -3], [2, -4], { reduction: 'none' }), [25, 25]);
    expectClose(mape([[1.5, -3]], [[2, -4]], { reduction: 'sum' }), 50);
  });

  it('floors |y| at 1e-7, as Keras', () => {
    expectClose(mape([0.5, 1], [0, -3e-8], { reduction: 'none' }), [(100 * 0.5) / 1e-7, (100 * (1 + 3e-8)) / 1e-7]);
  });

  it('has gradient 100 sign(x - y) / max(|y|, 1e-7), over n for mean, and 0 where x = y', () => {
    expectClose(mape.grad([1.5, 5, 2], [2, 4, 2]), [-100 / 2 / 3, 100 / 4 / 3, 0]);
    expectClose(mape.grad([1], [0], { reduction: 'sum' }), [100 / 1e-7]);
  });

  it('gives value and gradient in one pass', () => {
    const vg = mape.valueAndGrad([1.5, 3], [2, 4]);
    expectClose(vg.value, 25);
    expectClose(vg.grad, [-25, -12.5]);
  });

  it('rejects mismatched shapes', () => {
    expect(() => mape([1, 2], [1])).toThrow('mape: target must be of shape [2] like input, got shape [1]');
  });
});
