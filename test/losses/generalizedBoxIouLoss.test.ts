import { describe, expect, it } from 'vitest';
import { generalizedBoxIouLoss } from '../../src';
import { boxPass, readBoxes } from '../../src/core/losses/boxGeometry';
import { expectClose } from '../helpers/close';
import { expectExact, expectGradientMatches, finiteDifference } from '../helpers/multiLoss';

describe('generalizedBoxIouLoss', () => {
  it('is 0 for identical boxes at eps 0, and eps / (area + eps) at the default eps', () => {
    expect(
      generalizedBoxIouLoss(
        [
          [0, 0, 2, 1],
          [1, 1, 4, 5],
        ],
        [
          [0, 0, 2, 1],
          [1, 1, 4, 5],
        ],
        { eps: 0 },
      ),
    ).toBe(0);
    expect(generalizedBoxIouLoss([0, 0, 2, 1], [0, 0, 2, 1])).toBe(1e-7 / (2 + 1e-7));
  });

  it('is 1 - IoU + (C - U)/C: for boxes far apart, 1 plus the empty share of the enclosing box', () => {
    // I = 0, U = 1 + 2, C = 101 x 52
    expect(generalizedBoxIouLoss([0, 0, 1, 1], [100, 50, 101, 52], { eps: 0 })).toBe(1 + (5252 - 3) / 5252);
    // overlapping: I = 1 x 1, U = 4 + 4 - 1, C = 3 x 3
    expectClose(generalizedBoxIouLoss([0, 0, 2, 2], [1, 1, 3, 3], { eps: 0 }), 1 - 1 / 7 + (9 - 7) / 9, 1e-15);
    // nested boxes: C = U, so GIoU is IoU
    expectClose(generalizedBoxIouLoss([1, 1, 2, 2], [0, 0, 4, 4], { eps: 0 }), 1 - 1 / 16, 1e-15);
  });

  it('reduces by mean (the default here; torchvision defaults to none), sum or not at all', () => {
    expect(generalizedBoxIouLoss.defaults.reduction).toBe('mean');
    const b1 = [
      [0, 0, 2, 2],
      [0, 0, 1, 1],
    ];
    const b2 = [
      [1, 1, 3, 3],
      [0, 0, 1, 1],
    ];
    const none = generalizedBoxIouLoss(b1, b2, { eps: 0, reduction: 'none' });
    expect(none.length).toBe(2);
    expect(none[1]).toBe(0);
    expect(generalizedBoxIouLoss(b1, b2, { eps: 0, reduction: 'sum' })).toBe(none[0]! + none[1]!);
    expect(generalizedBoxIouLoss(b1, b2, { eps: 0 })).toBe((none[0]! + none[1]!) / 2);
  });

  it("IoU's gradient is zero for non-overlapping boxes while GIoU's is not", () => {
    const b1 = [[0, 0, 1, 1]];
    const b2 = [[2, 0.5, 3, 1.7]];
    const iouGrad = new Float64Array(4);
    boxPass('iou', readBoxes('iou', [b1, b2], { reduction: 'mean', eps: 1e-7 }), 'iou', iouGrad);
    expect(Array.from(iouGrad)).toEqual([0, 0, 0, 0]);
    const giouGrad = generalizedBoxIouLoss.grad(b1, b2) as number[][];
    expect(giouGrad[0]!.some((v) => v !== 0)).toBe(true);
    // it pulls box 1 towards box 2: growing x2 lowers the loss
    expect(giouGrad[0]![2]).toBeLessThan(0);
  });

  it('matches central differences, overlapping or not, at eps 0 and the default', () => {
    const b1 = [
      [0.1, 0.2, 1.3, 2.4],
      [0, 0, 1, 1],
      [0.5, 0.5, 1.5, 3],
    ];
    const b2 = [
      [0.5, -0.3, 2, 1.9],
      [2, 0.5, 3, 1.7],
      [0.7, 0.9, 1.2, 2],
    ];
    for (const options of [{}, { eps: 0, reduction: 'sum' }]) {
      expectGradientMatches(generalizedBoxIouLoss.grad(b1, b2, options as object), finiteDifference(generalizedBoxIouLoss as never, [b1, b2], 0, options));
    }
  });

  it('is exact to 1e-15 on every PyTorch fixture case, nearly coincident boxes included (torchvision: 1e-8)', () => {
    const { worstTorch } = expectExact(generalizedBoxIouLoss as never, 'generalizedBoxIouLoss', 1e-15);
    expect(worstTorch).toBeGreaterThan(1e-9);
  });

  it('takes zero-width and zero-height boxes', () => {
    // a segment inside the other box: I = 0, U = 2, C = 2; sticking out of it: C = 2 x 2
    expect(generalizedBoxIouLoss([1, 0, 1, 1], [0, 0, 2, 1], { eps: 0 })).toBe(1);
    expect(generalizedBoxIouLoss([1, 0, 1, 2], [0, 0, 2, 1], { eps: 0 })).toBe(1 + (4 - 2) / 4);
    expect(generalizedBoxIouLoss([1, 1, 1, 1], [0, 0, 2, 2], { eps: 0 })).toBe(1);
  });

  it('rejects boxes with x2 < x1 or y2 < y1, shapes not [N, 4], and two zero-area boxes at eps 0', () => {
    expect(() =>
      generalizedBoxIouLoss(
        [
          [0, 0, 1, 1],
          [3, 0, 1, 1],
        ],
        [
          [0, 0, 1, 1],
          [0, 0, 1, 1],
        ],
      ),
    ).toThrow('generalizedBoxIouLoss: boxes1[1] must be a box [x1, y1, x2, y2] with x1 <= x2 and y1 <= y2, got [3, 0, 1, 1]');
    expect(() => generalizedBoxIouLoss([0, 0, 1, 1], [0, 2, 1, 1])).toThrow(
      'generalizedBoxIouLoss: boxes2 must be a box [x1, y1, x2, y2] with x1 <= x2 and y1 <= y2, got [0, 2, 1, 1]',
    );
    expect(() => generalizedBoxIouLoss([[0, 0, 1, 1, 0]], [[0, 0, 1, 1, 0]])).toThrow(
      'generalizedBoxIouLoss: boxes1 shape must be [N, 4] or [4] (x1, y1, x2, y2), got shape [1,5]',
    );
    expect(() => generalizedBoxIouLoss([[0, 0, 1, 1]], [0, 0, 1, 1])).toThrow('generalizedBoxIouLoss: boxes2 must be of shape [1,4] like boxes1, got shape [4]');
    expect(() => generalizedBoxIouLoss([1, 1, 1, 1], [1, 1, 1, 1], { eps: 0 })).toThrow(
      'generalizedBoxIouLoss: the union of boxes1[0] and boxes2[0] must be positive when options.eps is 0, got 0',
    );
    expect(() => generalizedBoxIouLoss([0, 0, 1, 1], [0, 0, 1, 1], { eps: -1e-7 })).toThrow('generalizedBoxIouLoss: options.eps must be a finite number >= 0, got -1e-7');
  });
});
