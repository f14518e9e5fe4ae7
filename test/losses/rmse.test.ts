import { describe, expect, it } from 'vitest';
import { mse, rmse } from '../../src';
import { expectClose } from '../helpers/close';

describe('rmse', () => {
  it('is the square root of mse', () => {
    expectClose(rmse([1, 3, 5, 6, 7], [3, 2, 7, 5, 8]), Math.sqrt((4 + 1 + 4 + 1 + 1) / 5));
    expectClose(
      rmse(
        [
          [1, 2],
          [3, 4],
        ],
        [
          [0, 0],
          [3, 5],
        ],
      ),
      Math.sqrt(
        mse(
          [
            [1, 2],
            [3, 4],
          ],
          [
            [0, 0],
            [3, 5],
          ],
        ),
      ),
    );
  });

  it('has gradient (x - y)/(n rmse)', () => {
    const r = Math.sqrt((9 + 16) / 2);
    expectClose(rmse.grad([3, 0], [0, 4]), [3 / (2 * r), -4 / (2 * r)]);
  });

  it('has gradient 0, not NaN, where input equals target', () => {
    expect(rmse([1, 2], [1, 2])).toBe(0);
    expect(rmse.grad([1, 2], [1, 2])).toEqual([0, 0]);
  });

  it('takes only reduction mean, since the square root of a sum is not rmse', () => {
    expectClose(rmse([3], [0], { reduction: 'mean' }), 3);
    expect(() => rmse([1], [0], { reduction: 'sum' as 'mean' })).toThrow(
      'rmse: options.reduction must be \'mean\' (rmse is the square root of the mean; use mse or sse for a sum or per-element values), got "sum"',
    );
    expect(() => rmse.grad([1], [0], { reduction: 'none' as 'mean' })).toThrow("rmse: options.reduction must be 'mean'");
  });

  it('names its own function on mismatched shapes', () => {
    expect(() => rmse([1, 2], [1])).toThrow('rmse: target must be of shape [2] like input, got shape [1]');
  });
});

describe('rmse beyond the range of mse', () => {
  it('is finite where the mean of squares overflows or underflows float64 but the root does not', () => {
    expectClose(rmse([1e200, -3e200, 0], [0, 0, 0]), Math.sqrt(10 / 3) * 1e200, 1e-15);
    expect(Math.abs(rmse([1e-200, 2e-200], [0, 0]) / 1e-200 - Math.sqrt(5 / 2))).toBeLessThan(1e-15);
    expectClose(rmse.grad([1e-200, 2e-200], [0, 0]), [1 / Math.sqrt(10), 2 / Math.sqrt(10)], 1e-15);
    expectClose(rmse.grad([1e200, -3e200, 0], [0, 0, 0]), [1 / Math.sqrt(30), -3 / Math.sqrt(30), 0], 1e-15);
  });
});
