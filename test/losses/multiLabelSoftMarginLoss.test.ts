import { describe, expect, it } from 'vitest';
import { binaryCrossEntropyWithLogits, multiLabelSoftMarginLoss } from '../../src';
import { expectClose } from '../helpers/close';

describe('multiLabelSoftMarginLoss', () => {
  const x = [
    [0.5, -1.5, 2],
    [1, 0.25, -30],
  ];
  const y = [
    [1, 0, 1],
    [0, 0, 1],
  ];
  const perRow = x.map((row, n) => binaryCrossEntropyWithLogits(row, y[n]!));

  it('is the per-row mean of binaryCrossEntropyWithLogits', () => {
    expectClose(multiLabelSoftMarginLoss(x, y, { reduction: 'none' }), perRow);
    expectClose(multiLabelSoftMarginLoss(x, y), (perRow[0]! + perRow[1]!) / 2);
    expectClose(multiLabelSoftMarginLoss(x, y, { reduction: 'sum' }), perRow[0]! + perRow[1]!);
  });

  it('weights each class, then averages over the C classes', () => {
    const weight = [0.5, 2, 1];
    const rows = x.map((row, n) => binaryCrossEntropyWithLogits(row, y[n]!, { weight, reduction: 'sum' }) / 3);
    expectClose(multiLabelSoftMarginLoss(x, y, { weight, reduction: 'none' }), rows);
  });

  it('has gradient w (sigmoid(x) - y) / C, over N for mean', () => {
    const g = binaryCrossEntropyWithLogits.grad(x, y, { reduction: 'sum' });
    expectClose(
      multiLabelSoftMarginLoss.grad(x, y),
      g.map((r) => r.map((v) => v / 3 / 2)),
    );
    expectClose(
      multiLabelSoftMarginLoss.grad(x, y, { reduction: 'none' }),
      g.map((r) => r.map((v) => v / 3)),
    );
  });

  it('reads a 1-D input as one sample', () => {
    expectClose(multiLabelSoftMarginLoss([0, 2], [1, 0]), binaryCrossEntropyWithLogits([0, 2], [1, 0]));
  });

  it('gives value and gradient in one pass', () => {
    const vg = multiLabelSoftMarginLoss.valueAndGrad(x, y, { weight: 2 });
    expectClose(vg.value, multiLabelSoftMarginLoss(x, y, { weight: 2 }));
    expectClose(vg.grad, multiLabelSoftMarginLoss.grad(x, y, { weight: 2 }));
  });

  it('rejects targets outside [0, 1] and a weight of another shape', () => {
    expect(() =>
      multiLabelSoftMarginLoss(x, [
        [1, 0, 2],
        [0, 0, 1],
      ]),
    ).toThrow(/^multiLabelSoftMarginLoss: target\[2\] must be a probability in \[0, 1\], got 2$/);
    expect(() => multiLabelSoftMarginLoss(x, y, { weight: [1, 2] })).toThrow(
      /^multiLabelSoftMarginLoss: options.weight must be a number or of a shape broadcastable to input shape \[2,3\]/,
    );
  });
});
