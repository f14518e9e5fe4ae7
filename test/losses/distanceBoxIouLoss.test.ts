import { describe, expect, it } from 'vitest';
import { distanceBoxIouLoss, generalizedBoxIouLoss } from '../../src';
import { expectClose } from '../helpers/close';
import { expectExact, expectGradientMatches, finiteDifference } from '../helpers/multiLoss';

describe('distanceBoxIouLoss', () => {
  it('is 1 - IoU + ρ²/c²: the centres distance over the enclosing diagonal', () => {
    // I = 0, centres (0.5, 0.5) and (2.5, 0.5): ρ² = 4; enclosing box 3 x 1: c² = 10
    expect(distanceBoxIouLoss([0, 0, 1, 1], [2, 0, 3, 1], { eps: 0 })).toBe(1.4);
    // concentric boxes: ρ = 0, only 1 - IoU = 1 - 4/16
    expect(distanceBoxIouLoss([1, 1, 3, 3], [0, 0, 4, 4], { eps: 0 })).toBe(0.75);
    expect(distanceBoxIouLoss([1, 1, 3, 3], [1, 1, 3, 3], { eps: 0 })).toBe(0);
  });

  it('equals GIoU where the centres coincide and the enclosing box is the union', () => {
    expect(distanceBoxIouLoss([1, 1, 3, 3], [0, 0, 4, 4])).toBe(generalizedBoxIouLoss([1, 1, 3, 3], [0, 0, 4, 4]));
  });

  it('reduces by mean (the default here; torchvision defaults to none), sum or not at all', () => {
    const b1 = [
      [0, 0, 1, 1],
      [1, 1, 3, 3],
    ];
    const b2 = [
      [2, 0, 3, 1],
      [0, 0, 4, 4],
    ];
    expect(distanceBoxIouLoss(b1, b2, { eps: 0, reduction: 'none' })).toEqual(new Float64Array([1.4, 0.75]));
    expect(distanceBoxIouLoss(b1, b2, { eps: 0, reduction: 'sum' })).toBe(2.15);
    expect(distanceBoxIouLoss(b1, b2, { eps: 0 })).toBe(1.075);
  });

  it('matches central differences, overlapping or not', () => {
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
      expectGradientMatches(distanceBoxIouLoss.grad(b1, b2, options as object), finiteDifference(distanceBoxIouLoss as never, [b1, b2], 0, options));
    }
  });

  it('has a gradient for non-overlapping boxes that moves the centres together', () => {
    const [g] = distanceBoxIouLoss.grad([[0, 0, 1, 1]], [[2, 0, 3, 1]], { eps: 0 }) as number[][];
    // d/dx1 = dx/c² + ρ²·2Wc/c⁴ = -2/10 + 4·6/100; d/dx2 = -2/10
    expectClose(g, [-0.2 + 0.24, 0.04, -0.2, -0.04], 1e-15);
  });

  it('is exact to 1e-15 on every PyTorch fixture case, nearly coincident boxes included', () => {
    expectExact(distanceBoxIouLoss as never, 'distanceBoxIouLoss', 1e-15);
  });

  it('rejects boxes with x2 < x1, and two zero-area boxes at eps 0', () => {
    expect(() => distanceBoxIouLoss([1, 0, 0, 1], [0, 0, 1, 1])).toThrow('distanceBoxIouLoss: boxes1 must be a box [x1, y1, x2, y2] with x1 <= x2 and y1 <= y2, got [1, 0, 0, 1]');
    expect(() => distanceBoxIouLoss([[2, 2, 2, 2]], [[2, 2, 2, 2]], { eps: 0 })).toThrow(
      'distanceBoxIouLoss: the union of boxes1[0] and boxes2[0] must be positive when options.eps is 0, got 0',
    );
  });
});
