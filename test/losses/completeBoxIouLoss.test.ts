import { describe, expect, it } from 'vitest';
import { completeBoxIouLoss, distanceBoxIouLoss } from '../../src';
import { expectClose } from '../helpers/close';
import { expectExact, finiteDifference } from '../helpers/multiLoss';

const K = 4 / (Math.PI * Math.PI);
/** torchvision's aspect term v and its α, from the formula (IoU at eps 1e-7). */
function aspect(b: number[], g: number[], iou: number, eps = 1e-7) {
  const v = K * (Math.atan((g[2]! - g[0]!) / (g[3]! - g[1]!)) - Math.atan((b[2]! - b[0]!) / (b[3]! - b[1]!))) ** 2;
  return { v, alpha: v / (1 - iou + v + eps) };
}

describe('completeBoxIouLoss', () => {
  it('is DIoU plus α v, where boxes of the same aspect ratio add nothing', () => {
    // both boxes square: v = 0
    expect(completeBoxIouLoss([0, 0, 1, 1], [2, 0, 3, 1])).toBe(distanceBoxIouLoss([0, 0, 1, 1], [2, 0, 3, 1]));
    // a 1 x 2 box against a 2 x 1 box, same corner: I = 1, U = 3
    const { v, alpha } = aspect([0, 0, 1, 2], [0, 0, 2, 1], 1 / (3 + 1e-7));
    expectClose(completeBoxIouLoss([0, 0, 1, 2], [0, 0, 2, 1]), distanceBoxIouLoss([0, 0, 1, 2], [0, 0, 2, 1]) + alpha * v, 1e-15);
  });

  it("uses its eps in α only: the DIoU part keeps torchvision's 1e-7", () => {
    const b = [0, 0, 1, 2];
    const g = [0, 0, 2, 1];
    const diou = distanceBoxIouLoss(b, g);
    const { v, alpha } = aspect(b, g, 1 / (3 + 1e-7), 0);
    expectClose(completeBoxIouLoss(b, g, { eps: 0 }), diou + alpha * v, 1e-15);
    expect(completeBoxIouLoss([0, 0, 2, 2], [0, 0, 2, 2], { eps: 0 })).toBe(1e-7 / (4 + 1e-7));
  });

  it('holds α constant in the gradient, as torchvision (α under no_grad)', () => {
    const b1 = [
      [0.1, 0.2, 1.3, 2.4],
      [0, 0, 1, 3],
    ];
    const b2 = [
      [0.5, -0.3, 2, 1.9],
      [2, 0.5, 3, 1.7],
    ];
    const grad = completeBoxIouLoss.grad(b1, b2, { reduction: 'sum' }) as number[][];
    const diouGrad = distanceBoxIouLoss.grad(b1, b2, { reduction: 'sum' }) as number[][];
    const ious = [0.5 * 0, 0];
    // IoU of row 0: I = (1.3 - 0.5)(1.9 - 0.2), U = 1.2·2.2 + 1.5·2.2 - I; row 1 does not overlap
    const i0 = (1.3 - 0.5) * (1.9 - 0.2);
    ious[0] = i0 / (1.2 * 2.2 + 1.5 * 2.2 - i0 + 1e-7);
    b1.forEach((b, r) => {
      const { alpha } = aspect(b, b2[r]!, ious[r]!);
      const dv = finiteDifference((x: unknown) => aspect(x as number[], b2[r]!, 0).v, [b], 0);
      grad[r]!.forEach((v, j) => expectClose(v, diouGrad[r]![j]! + alpha * dv[j]!, 1e-8));
    });
    // which is not the derivative of the loss itself
    const full = finiteDifference(completeBoxIouLoss as never, [b1, b2], 0, { reduction: 'sum' });
    expect(Math.max(...grad.flat().map((v, i) => Math.abs(v - full[i]!)))).toBeGreaterThan(1e-4);
  });

  it('is exact to 1e-15 on every PyTorch fixture case, nearly coincident boxes included', () => {
    expectExact(completeBoxIouLoss as never, 'completeBoxIouLoss', 1e-15);
  });

  it('is finite for zero-height and point boxes, where torchvision gives NaN', () => {
    // zero height: atan(w / 0) = π/2; a point: its aspect angle is taken as 0, with zero gradient
    const flat = completeBoxIouLoss([0, 1, 2, 1], [0, 0, 2, 2], { reduction: 'none' });
    const diou = distanceBoxIouLoss([0, 1, 2, 1], [0, 0, 2, 2]);
    const v = K * (Math.PI / 4 - Math.PI / 2) ** 2;
    expectClose(flat, [diou + (v / (1 - 0 + v + 1e-7)) * v], 1e-15);
    for (const g of completeBoxIouLoss.grad(
      [
        [0, 1, 2, 1],
        [1, 1, 1, 1],
      ],
      [
        [0, 0, 2, 2],
        [0, 0, 2, 1],
      ],
    ) as number[][]) {
      for (const x of g) expect(Number.isFinite(x)).toBe(true);
    }
  });

  it('rejects boxes with y2 < y1', () => {
    expect(() => completeBoxIouLoss([[0, 1, 1, 0]], [[0, 0, 1, 1]])).toThrow(
      'completeBoxIouLoss: boxes1[0] must be a box [x1, y1, x2, y2] with x1 <= x2 and y1 <= y2, got [0, 1, 1, 0]',
    );
  });
});
