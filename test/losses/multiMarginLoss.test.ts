import { describe, expect, it } from 'vitest';
import { multiMarginLoss as mm } from '../../src';
import { expectClose, flatten } from '../helpers/close';

describe('multiMarginLoss', () => {
  it("is sum_{d != y} max(0, margin - x_y + x_d)^p / C: PyTorch's docstring example gives 0.325", () => {
    const x = [[0.1, 0.2, 0.4, 0.8]];
    expectClose(mm(x, [3]), (1 - 0.8 + 0.1 + (1 - 0.8 + 0.2) + (1 - 0.8 + 0.4)) / 4);
    expectClose(mm(x, [3]), 0.325);
    expectClose(mm(x, [3], { p: 2 }), ((1 - 0.8 + 0.1) ** 2 + (1 - 0.8 + 0.2) ** 2 + (1 - 0.8 + 0.4) ** 2) / 4);
    expectClose(mm(x, [3], { margin: 0.5 }), (0 + 0 + (0.5 - 0.8 + 0.4)) / 4);
    expect(mm.defaults).toEqual({ reduction: 'mean', p: 1, margin: 1, weight: undefined });
  });

  it("multiplies z^p by the target class's weight (PyTorch's code; its docs put w inside the power)", () => {
    const x = [
      [0.1, 0.2, 0.4, 0.8],
      [1, 0, 0, 0],
    ];
    const weight = [2, 1, 1, 0.5];
    const row0 = (0.5 * (0.3 ** 2 + 0.4 ** 2 + 0.6 ** 2)) / 4;
    const row1 = (2 * 0) / 4;
    expectClose(mm(x, [3, 0], { weight, p: 2, reduction: 'none' }), [row0, row1]);
  });

  it('reduces over samples and reads a [C] input as one sample', () => {
    const x = [
      [0.1, 0.2, 0.4, 0.8],
      [0.5, -1, 2, 0],
    ];
    const items = [mm([0.1, 0.2, 0.4, 0.8], 3), mm([0.5, -1, 2, 0], 0)] as number[];
    expectClose(mm(x, [3, 0], { reduction: 'none' }), items);
    expectClose(mm(x, [3, 0], { reduction: 'sum' }), items[0]! + items[1]!);
    expectClose(mm(x, [3, 0]), (items[0]! + items[1]!) / 2);
  });

  it('has gradient w_y p z_d^(p-1) / C at each violating class and minus their sum at the target', () => {
    expectClose(mm.grad([[0.1, 0.2, 0.4, 0.8]], [3]), [[0.25, 0.25, 0.25, -0.75]]);
    const zs = [0.3, 0.4, 0.6];
    expectClose(mm.grad([0.1, 0.2, 0.4, 0.8], 3, { p: 2, weight: [1, 1, 1, 2] }), [...zs.map((z) => (2 * 2 * z) / 4), -zs.reduce((s, z) => s + (2 * 2 * z) / 4, 0)]);
    // at the kink (z = 0) and below it, no gradient, as PyTorch
    expect(flatten(mm.grad([0, 1], 1))).toEqual([0, 0]);
    expect(mm([0, 1], 1)).toBe(0);
  });

  it('keeps the violation of nearly tied large scores (margin - x_y + x_d with its rounding errors)', () => {
    // 1e-17 - 0.3 + (0.1 + 0.2): exactly 1e-17 + 2^-54 + ..., which float64 addition rounds to 5.55e-17
    const z = 1e-17 + (0.1 + 0.2 - 0.3);
    expectClose(mm([0.3, 0.1 + 0.2], 0, { margin: 1e-17 }), z / 2, 1e-15);
    expect(mm([1e16, 1e16 + 2, 0], 1, { margin: 2 })).toBe(0);
  });

  it('rejects bad options and targets with clear errors', () => {
    expect(() => mm([[1, 2]], [0], { p: 3 })).toThrow('multiMarginLoss: options.p must be 1 or 2, got 3');
    expect(() => mm([[1, 2]], [0], { margin: Infinity })).toThrow('multiMarginLoss: options.margin must be a finite number, got Infinity');
    expect(() => mm([[1, 2]], [0], { weight: [1, 2, 3] })).toThrow('multiMarginLoss: options.weight must be 2 values, one per class, got 3');
    expect(() => mm([[1, 2]], [0], { weight: [1, -2] })).toThrow('multiMarginLoss: options.weight[1] must be a finite number >= 0, got -2');
    expect(() => mm([[1, 2]], [2])).toThrow('multiMarginLoss: target[0] must be a class index in [0, 2), got 2');
    expect(() =>
      mm(
        [
          [1, 2],
          [3, 4],
        ],
        [0],
      ),
    ).toThrow('multiMarginLoss: target must be 2 class indices, one per sample, got 1');
  });
});
