import { describe, expect, it } from 'vitest';
import { huber, mae, mse } from '../../src';
import { expectClose } from '../helpers/close';

describe('huber', () => {
  it('is half the squared error inside delta and linear beyond it', () => {
    // d = -0.5 is inside delta = 1; d = -3 is outside: 1 * (3 - 0.5)
    expectClose(huber([0, 0], [0.5, 3]), (0.5 * 0.25 + (3 - 0.5)) / 2);
  });

  it('uses delta as the switch point and slope', () => {
    // |d| = 1 < 2: 0.5 * 1; |d| = 5 >= 2: 2 * (5 - 1)
    expectClose(huber([1, 5], [0, 0], { delta: 2, reduction: 'sum' }), 0.5 + 2 * (5 - 1));
    expectClose(huber([1, 5], [0, 0], { delta: 2, reduction: 'none' }), [0.5, 8]);
  });

  it('is mse / 2 for small errors and tends to delta * mae for large ones', () => {
    expectClose(huber([0.1, -0.2], [0, 0]), mse([0.1, -0.2], [0, 0]) / 2);
    expectClose(huber([100, -200], [0, 0]), mae([100, -200], [0, 0]) - 0.5);
  });

  it('has gradient clamp(x - y, -delta, delta), over n for mean', () => {
    expect(huber.grad([0, 0], [0.5, 3], { delta: 2 })).toEqual([-0.5 / 2, -2 / 2]);
    expect(huber.grad([[1, -1]], [[0, 0]], { reduction: 'sum' })).toEqual([[1, -1]]);
  });

  it('rejects a delta that is not positive', () => {
    expect(() => huber([1], [0], { delta: 0 })).toThrow('huber: options.delta must be a finite number > 0, got 0');
  });
});
