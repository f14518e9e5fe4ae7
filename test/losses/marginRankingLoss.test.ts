import { describe, expect, it } from 'vitest';
import { marginRankingLoss } from '../../src';
import { expectClose } from '../helpers/close';
import { expectExact, expectGradientMatches, finiteDifference } from '../helpers/multiLoss';

describe('marginRankingLoss', () => {
  it('costs how far the preferred score fails to lead by the margin', () => {
    // y = 1 prefers input1: 3 leads 1, no cost; y = -1 prefers input2: 1 vs 2 leads by 1, no cost
    expect(marginRankingLoss([3, 1], [1, 2], [1, -1])).toBe(0);
    // y = 1 on (1, 2): -(1 - 2) = 1; with margin 0.5: 1.5
    expect(marginRankingLoss([1], [2], [1], { margin: 0.5 })).toBe(1.5);
    expectClose(
      marginRankingLoss(
        [
          [1, 4],
          [0, 0],
        ],
        [
          [2, 1],
          [0, 1],
        ],
        [
          [1, 1],
          [-1, 1],
        ],
        { margin: 1, reduction: 'none' },
      ),
      [2, 0, 1, 2],
    );
  });

  it('reduces by mean (default), sum or not at all', () => {
    const args = [
      [1, 5, -2],
      [2, 1, -1],
      [1, -1, 1],
    ] as const;
    // items: -(1 - 2) = 1, (5 - 1) = 4, -(-2 + 1) = 1
    expect(marginRankingLoss(...args, { reduction: 'none' })).toEqual(new Float64Array([1, 4, 1]));
    expect(marginRankingLoss(...args, { reduction: 'sum' })).toBe(6);
    expect(marginRankingLoss(...args)).toBe(2);
  });

  it('has gradient [-y, y] where the pair is inside the margin, [0, 0] elsewhere, over n for mean', () => {
    expect(marginRankingLoss.grad([1, 5, 3], [2, 1, 0], [1, -1, 1])).toEqual([
      [-1 / 3, 1 / 3, 0],
      [1 / 3, -1 / 3, 0],
    ]);
  });

  it('passes the gradient at the kink, as PyTorch', () => {
    expect(marginRankingLoss.grad([1.5], [1.5], [1], { reduction: 'sum' })).toEqual([[-1], [1]]);
  });

  it('matches central differences away from the kinks', () => {
    const args = [
      [
        [0.3, -1.2, 2],
        [0.7, 0.1, -0.4],
      ],
      [
        [0.9, -2, 1],
        [0.2, 0.5, -1.3],
      ],
      [
        [1, -1, 1],
        [-1, 1, -1],
      ],
    ];
    const g = marginRankingLoss.grad(...(args as [number[][], number[][], number[][]]), { margin: 0.25 }) as number[][][];
    for (const k of [0, 1]) expectGradientMatches(g[k], finiteDifference(marginRankingLoss as never, args, k, { margin: 0.25 }));
  });

  it('reads rank-0 tensors as one item, as PyTorch', () => {
    const s = (v: number) => ({ data: new Float64Array([v]), shape: [] as number[] });
    expect(marginRankingLoss(s(1), s(2), s(1))).toBe(1);
  });

  it('equals the exact value of every PyTorch fixture case to 1e-15', () => {
    expectExact(marginRankingLoss as never, 'marginRankingLoss', 1e-15);
  });

  it('rejects labels other than -1 and 1, and shapes that differ', () => {
    expect(() => marginRankingLoss([1, 2], [0, 0], [1, 0])).toThrow('marginRankingLoss: target[1] must be -1 or 1, got 0');
    expect(() => marginRankingLoss([1, 2], [0, 0], [1, 0.5])).toThrow('marginRankingLoss: target[1] must be -1 or 1, got 0.5');
    expect(() => marginRankingLoss([1, 2], [0, 0, 0], [1, 1])).toThrow('marginRankingLoss: input2 must be of shape [2] like input1, got shape [3]');
    expect(() => marginRankingLoss([1, 2], [0, 0], [[1, 1]])).toThrow('marginRankingLoss: target must be of shape [2] like input1, got shape [1,2]');
    expect(() => marginRankingLoss([1], [0], [1], { margin: Infinity })).toThrow('marginRankingLoss: options.margin must be a finite number, got Infinity');
  });
});
