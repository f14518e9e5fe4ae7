import { describe, expect, it } from 'vitest';
import { mae } from '../../src';
import { expectClose } from '../helpers/close';

describe('mae', () => {
  it('is the mean of absolute differences', () => {
    expectClose(mae([1, 3, 5, 6, 7], [3, 2, 7, 5, 8]), (2 + 1 + 2 + 1 + 1) / 5);
  });

  it('sums with reduction sum and returns per-element values with none', () => {
    expectClose(mae([1, -2], [0, 0], { reduction: 'sum' }), 1 + 2);
    expectClose(mae([1, -2], [0, 0], { reduction: 'none' }), [1, 2]);
  });

  it('reads nested arrays and tensors alike', () => {
    const expected = (1 + 2 + 0 + 1) / 4;
    expectClose(
      mae(
        [
          [1, 2],
          [3, 4],
        ],
        [
          [0, 0],
          [3, 5],
        ],
      ),
      expected,
    );
    expectClose(
      mae({ data: new Float32Array([1, 2, 3, 4]), shape: [2, 2] }, [
        [0, 0],
        [3, 5],
      ]),
      expected,
    );
  });

  it('has gradient sign(x - y)/n, and 0 where x equals y as in PyTorch', () => {
    expect(mae.grad([1, 2, 3], [0, 2, 5])).toEqual([1 / 3, 0, -1 / 3]);
    expect(
      mae.grad(
        [
          [1, 2],
          [3, 4],
        ],
        [
          [2, 2],
          [0, 0],
        ],
        { reduction: 'sum' },
      ),
    ).toEqual([
      [-1, 0],
      [1, 1],
    ]);
  });

  it('names the function, argument, expectation and actual value on bad input', () => {
    expect(() => mae([1, 2], [1, 2, 3])).toThrow('mae: target must be of shape [2] like input, got shape [3]');
    expect(() => mae([1, NaN], [1, 2])).toThrow('mae: input[1] must be a finite number, got NaN');
  });
});
