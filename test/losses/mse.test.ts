import { describe, expect, it } from 'vitest';
import { mse } from '../../src';
import { expectClose } from '../helpers/close';

describe('mse', () => {
  it('is the mean of squared differences', () => {
    expectClose(mse([1, 3, 5, 6, 7], [3, 2, 7, 5, 8]), (4 + 1 + 4 + 1 + 1) / 5);
  });

  it('sums with reduction sum and returns per-element values with none', () => {
    expectClose(mse([1, 2], [0, 0], { reduction: 'sum' }), 1 + 4);
    expectClose(mse([1, 2], [0, 0], { reduction: 'none' }), [1, 4]);
  });

  it('reads nested arrays, typed arrays and tensors alike', () => {
    const expected = (1 + 4 + 0 + 1) / 4;
    expectClose(
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
      expected,
    );
    expectClose(mse(new Float32Array([1, 2, 3, 4]), new Float64Array([0, 0, 3, 5])), expected);
    expectClose(
      mse({ data: new Float64Array([1, 2, 3, 4]), shape: [2, 2] }, [
        [0, 0],
        [3, 5],
      ]),
      expected,
    );
  });

  it('has gradient 2(x - y)/n, shaped like the input', () => {
    expect(
      mse.grad(
        [
          [1, 2],
          [3, 4],
        ],
        [
          [0, 0],
          [3, 5],
        ],
      ),
    ).toEqual([
      [(2 * 1) / 4, (2 * 2) / 4],
      [0, (2 * -1) / 4],
    ]);
    expect(mse.grad([1, 2], [0, 0], { reduction: 'sum' })).toEqual([2, 4]);
    const g = mse.grad({ data: new Float32Array([1, 2]), shape: [2] }, [0, 0]);
    expect(g.shape).toEqual([2]);
    expectClose(g.data, [1, 2]);
  });

  it('names the function, argument, expectation and actual value on bad input', () => {
    expect(() => mse([1, 2], [1, 2, 3])).toThrow('mse: target must be of shape [2] like input, got shape [3]');
    expect(() => mse([1, 2], [1, 2], { reduction: 'avg' as 'mean' })).toThrow("mse: options.reduction must be one of 'mean', 'sum', 'none', got \"avg\"");
  });
});

describe('mse with a caller buffer', () => {
  it('writes the gradient into options.out and returns that buffer', () => {
    const out = new Float32Array(2);
    const g = mse.grad([1, 2], [0, 0], { out });
    expect(g).toBe(out);
    expect(Array.from(out)).toEqual([1, 2]);
  });

  it('computes value and gradient together', () => {
    const { value, grad } = mse.valueAndGrad([[1, 2]], [[0, 0]]);
    expect(value).toBe((1 + 4) / 2);
    expect(grad).toEqual([[1, 2]]);
  });

  it('rejects an out buffer of the wrong length', () => {
    expect(() => mse.grad([1, 2], [0, 0], { out: new Float64Array(3) })).toThrow("mse: options.out.length must be 2, the input's element count, got 3");
  });
});
