import { describe, expect, it } from 'vitest';
import { diceLoss } from '../../src';
import { expectClose } from '../helpers/close';

describe('diceLoss', () => {
  it("is seed 001's dice_loss for a 1-D input: 1 - (2 sum(y p) + 1)/(sum y + sum p + 1)", () => {
    const inter = 0.9 + 0.8;
    const union = 2 + (0.9 + 0.8 + 0.1 + 0.2);
    expectClose(diceLoss([0.9, 0.8, 0.1, 0.2], [1, 1, 0, 0]), 1 - (2 * inter + 1) / (union + 1));
  });

  it('treats each row of a 2-D input as one sample', () => {
    const p = [
      [1, 0],
      [0.5, 0.5],
    ];
    const y = [
      [1, 0],
      [0, 1],
    ];
    const perSample = [1 - (2 * 1 + 1) / (1 + 1 + 1), 1 - (2 * 0.5 + 1) / (1 + 1 + 1)];
    expectClose(diceLoss(p, y, { reduction: 'none' }), perSample);
    expectClose(diceLoss(p, y), (perSample[0]! + perSample[1]!) / 2);
    expectClose(diceLoss(p, y, { reduction: 'sum' }), perSample[0]! + perSample[1]!);
  });

  it('uses smooth in numerator and denominator, so two empty masks have loss 0', () => {
    expectClose(diceLoss([0.5, 0], [1, 0], { smooth: 0 }), 1 - (2 * 0.5) / 1.5);
    expect(diceLoss([0, 0], [0, 0])).toBe(0);
  });

  it('has gradient ((2I + s) - 2 y (U + s)) / (U + s)^2', () => {
    // I = 1, U = 3, s = 0
    expectClose(diceLoss.grad([1, 0], [1, 1], { smooth: 0 }), [(2 - 2 * 3) / 9, (2 - 2 * 3) / 9]);
    // two rows, mean: each row's gradient over N = 2, s = 1; row 0: I = 0, U = 0; row 1: I = 0.5, U = 2.5
    const row0 = (0 + 1 - 0) / 1 ** 2 / 2;
    const row1 = (y: number) => (2 * 0.5 + 1 - 2 * y * (2.5 + 1)) / (2.5 + 1) ** 2 / 2;
    expectClose(
      diceLoss.grad(
        [
          [0, 0],
          [0.5, 1],
        ],
        [
          [0, 0],
          [1, 0],
        ],
      ),
      [
        [row0, row0],
        [row1(1), row1(0)],
      ],
    );
  });

  it('requires probabilities and a defined ratio when smooth is 0', () => {
    expect(() => diceLoss([0.5, 2], [1, 0])).toThrow('diceLoss: input[1] must be a probability in [0, 1], got 2');
    expect(() => diceLoss([[0, 0]], [[0, 0]], { smooth: 0 })).toThrow('diceLoss: options.smooth must be > 0 when input and target row 0 are both all zero (Dice is 0/0), got 0');
    expect(() => diceLoss([1], [1], { smooth: -1 })).toThrow('diceLoss: options.smooth must be a finite number >= 0, got -1');
  });
});

describe('diceLoss to float64 accuracy', () => {
  it('keeps the small loss of a near-perfect mask: E / (U + s) with E = sum of y (1 - p) + p (1 - y)', () => {
    const p = [1 - 1e-10, 1e-10];
    const expected = (1 - p[0]! + p[1]!) / (1 + p[0]! + p[1]!);
    expect(Math.abs(diceLoss(p, [1, 0], { smooth: 0 }) - expected) / expected).toBeLessThan(1e-15);
    const oneMinusDice = 1 - (2 * p[0]!) / (1 + p[0]! + p[1]!);
    expect(Math.abs(oneMinusDice - expected) / expected).toBeGreaterThan(1e-8);
  });

  it('gives the finite gradient (1 - 2y) / s of an empty row for a tiny smooth, and rejects one that overflows', () => {
    expect(diceLoss.grad([[0, 0]], [[0, 0]], { smooth: 1e-200, reduction: 'sum' })).toEqual([[1e200, 1e200]]);
    expect(diceLoss([[0, 0]], [[0, 0]], { smooth: 1e-200 })).toBe(0);
    expect(() => diceLoss.grad([[0, 0]], [[0, 0]], { smooth: 1e-320 })).toThrow('diceLoss: the gradient at input[0] (1 / (sum + smooth) overflows) must be finite, got Infinity');
  });
});
