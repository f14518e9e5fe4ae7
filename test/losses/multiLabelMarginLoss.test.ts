import { describe, expect, it } from 'vitest';
import { multiLabelMarginLoss as mlm } from '../../src';
import { expectClose, flatten } from '../helpers/close';

describe('multiLabelMarginLoss', () => {
  it("sums max(0, 1 - (x_j - x_d)) over listed j and unlisted d, over C: PyTorch's docstring example gives 0.85", () => {
    // classes 3 and 0 listed; 2 and 1 not
    const x = [0.1, 0.2, 0.4, 0.8];
    const pairs = [1 - (0.8 - 0.2), 1 - (0.8 - 0.4), 1 - (0.1 - 0.2), 1 - (0.1 - 0.4)];
    expectClose(mlm([x], [[3, 0, -1, 1]]), pairs.reduce((a, b) => a + b, 0) / 4);
    expectClose(mlm(x, [3, 0, -1, 1]), 0.85);
  });

  it('ends each list at its first -1, ignoring the rest of the row', () => {
    const x = [[0.1, 0.2, 0.4, 0.8]];
    expect(mlm(x, [[3, 0, -1, 1]])).toBe(mlm(x, [[3, 0, -1, 2]]));
    expect(mlm(x, [[3, 0, -1, -1]])).toBe(mlm(x, [[3, 0, -1, 0]]));
    expect(mlm(x, [[-1, 0, 1, 2]])).toBe(0);
    expect(flatten(mlm.grad(x, [[-1, 0, 1, 2]]))).toEqual([0, 0, 0, 0]);
  });

  it('counts a class listed twice twice, as PyTorch, and gives 0 when every class is listed', () => {
    const x = [0.1, 0.2, 0.4, 0.8];
    const once = mlm(x, [3, -1, 0, 0]);
    expectClose(mlm(x, [3, 3, -1, 0]), 2 * once);
    expect(mlm(x, [0, 1, 2, 3])).toBe(0);
  });

  it('reduces over samples', () => {
    const x = [
      [0.1, 0.2, 0.4, 0.8],
      [1, -1, 0.5, 0],
    ];
    const y = [
      [3, 0, -1, 1],
      [1, -1, 0, 0],
    ];
    const items = [mlm(x[0]!, y[0]!), mlm(x[1]!, y[1]!)] as number[];
    expectClose(mlm(x, y, { reduction: 'none' }), items);
    expectClose(mlm(x, y, { reduction: 'sum' }), items[0]! + items[1]!);
    expectClose(mlm(x, y), (items[0]! + items[1]!) / 2);
  });

  it('has gradient +1/C at d and -1/C at j for every violated pair (none at the kink), over N for the mean', () => {
    // listed 3 and 0 against unlisted 1 and 2: all four pairs violated
    expectClose(mlm.grad([0.1, 0.2, 0.4, 0.8], [3, 0, -1, 1]), [-2 / 4, 2 / 4, 2 / 4, -2 / 4]);
    expectClose(
      mlm.grad(
        [
          [0.1, 0.2, 0.4, 0.8],
          [0, 1, 0, 0],
        ],
        [
          [3, -1, 0, 0],
          [1, -1, 0, 0],
        ],
      ),
      [
        [1 / 8, 1 / 8, 1 / 8, -3 / 8],
        [0, 0, 0, 0],
      ],
    );
    expect(flatten(mlm.grad([0, 1], [1, -1]))).toEqual([0, 0]);
  });

  it('rejects targets that are not class indices or -1, and shapes unlike the input', () => {
    expect(() => mlm([[1, 2, 3]], [[0, 3, -1]])).toThrow("multiLabelMarginLoss: target[1] must be a class index in [0, 3) or -1 (ending the row's list), got 3");
    expect(() => mlm([[1, 2, 3]], [[0, -2, -1]])).toThrow("multiLabelMarginLoss: target[1] must be a class index in [0, 3) or -1 (ending the row's list), got -2");
    expect(() => mlm([[1, 2, 3]], [[0.5, -1, -1]])).toThrow('multiLabelMarginLoss: target[0] must be a class index in [0, 3)');
    expect(() => mlm([[1, 2, 3]], [0, -1, -1])).toThrow('multiLabelMarginLoss: target must be of shape [1,3] like input, got shape [3]');
    expect(() => mlm([[1, 2, 3]], [[0, -1, -1]], { margin: 2 } as never)).toThrow('multiLabelMarginLoss: option "margin" must be one of reduction, got an unknown option');
  });
});
