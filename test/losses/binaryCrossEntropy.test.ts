import { describe, expect, it } from 'vitest';
import { binaryCrossEntropy } from '../../src';
import { expectClose } from '../helpers/close';

describe('binaryCrossEntropy', () => {
  it('is -[y log p + (1 - y) log(1 - p)], averaged over the elements', () => {
    expectClose(binaryCrossEntropy([0.9, 0.2], [1, 0]), (-Math.log(0.9) - Math.log(0.8)) / 2);
  });

  it("reproduces the source post's sigmoid CEE example (0.34861267989136313)", () => {
    const p = [0.5, 0.7, 0.3, 0.2, 0.7, 0.9];
    const y = [0, 1, 0, 0, 1, 1];
    const expected = -(Math.log(0.5) + Math.log(0.7) + Math.log(0.7) + Math.log(0.8) + Math.log(0.7) + Math.log(0.9)) / 6;
    expectClose(binaryCrossEntropy(p, y), expected);
    expectClose(binaryCrossEntropy(p, y), 0.34861267989136313);
  });

  it('sums with reduction sum and gives per-element values with none, in any shape', () => {
    expectClose(binaryCrossEntropy([[0.9], [0.2]], [[1], [0]], { reduction: 'sum' }), -Math.log(0.9) - Math.log(0.8));
    expectClose(binaryCrossEntropy([[0.9], [0.2]], [[1], [0]], { reduction: 'none' }), [-Math.log(0.9), -Math.log(0.8)]);
  });

  it('clamps each log at -100, so certain wrong predictions cost 100 and certain right ones 0', () => {
    expectClose(binaryCrossEntropy([0, 1, 1, 0], [1, 0, 1, 0], { reduction: 'none' }), [100, 100, 0, 0]);
  });

  it('takes soft targets in [0, 1]', () => {
    expectClose(binaryCrossEntropy([0.6], [0.25]), -(0.25 * Math.log(0.6) + 0.75 * Math.log(0.4)));
  });

  it('scales each element by an elementwise weight, still dividing the mean by n', () => {
    const loss = binaryCrossEntropy([[0.9, 0.2]], [[1, 0]], { weight: [[2, 0.5]] });
    expectClose(loss, (-2 * Math.log(0.9) - 0.5 * Math.log(0.8)) / 2);
  });

  it('smooths targets as Keras does: y (1 - s) + s / 2', () => {
    const t = 1 * (1 - 0.2) + 0.2 / 2;
    expectClose(binaryCrossEntropy([0.7], [1], { labelSmoothing: 0.2 }), -(t * Math.log(0.7) + (1 - t) * Math.log(0.3)));
  });

  it('has gradient w (p - y) / (p (1 - p)), over n for mean', () => {
    const g = binaryCrossEntropy.grad([0.9, 0.2], [1, 0], { weight: [1, 3] });
    expectClose(g, [(0.9 - 1) / (0.9 * 0.1) / 2, (3 * 0.2) / (0.2 * 0.8) / 2]);
  });

  it("floors p (1 - p) at PyTorch's float32 1e-12 in the gradient, so p = 0 or 1 stays finite", () => {
    expectClose(binaryCrossEntropy.grad([1, 0, 0], [0, 1, 0], { reduction: 'sum' }), [1 / Math.fround(1e-12), -1 / Math.fround(1e-12), 0]);
  });

  it('rejects probabilities outside [0, 1], a weight of another shape and unknown options', () => {
    expect(() => binaryCrossEntropy([0.5, 1.5], [1, 0])).toThrow('binaryCrossEntropy: input[1] must be a probability in [0, 1], got 1.5');
    expect(() => binaryCrossEntropy([0.5, 0.5], [1, 2])).toThrow('binaryCrossEntropy: target[1] must be a probability in [0, 1], got 2');
    expect(() => binaryCrossEntropy([0.5, 0.5], [1, 0], { weight: [1, 2, 3] })).toThrow(
      "binaryCrossEntropy: options.weight must be a number or of a shape broadcastable to input shape [2] (at most its rank; each axis, aligned from the last, the input's size or 1), got shape [3]",
    );
    expect(() => binaryCrossEntropy([0.5], [1], { weight: [-1] })).toThrow('binaryCrossEntropy: options.weight[0] must be a finite number >= 0, got -1');
    expect(() => binaryCrossEntropy([0.5], [1], { posWeight: [2] } as object)).toThrow(
      'binaryCrossEntropy: option "posWeight" must be one of reduction, weight, labelSmoothing, got an unknown option',
    );
  });
});

describe('binaryCrossEntropy weight broadcasting, clamps and smoothing', () => {
  const p = [
    [0.9, 0.2, 0.6],
    [0.3, 0.5, 0.99],
  ];
  const t = [
    [1, 0, 1],
    [0, 1, 1],
  ];
  it.each([
    [
      'a number',
      2,
      [
        [2, 2, 2],
        [2, 2, 2],
      ],
    ],
    [
      '[C] against [N, C]',
      [1, 2, 3],
      [
        [1, 2, 3],
        [1, 2, 3],
      ],
    ],
    [
      '[N, 1] against [N, C]',
      [[3], [0.5]],
      [
        [3, 3, 3],
        [0.5, 0.5, 0.5],
      ],
    ],
    [
      '[1, 1] against [N, C]',
      [[4]],
      [
        [4, 4, 4],
        [4, 4, 4],
      ],
    ],
  ])('takes a weight as %s, as its full-shape expansion', (_, weight, same) => {
    expect(binaryCrossEntropy(p, t, { weight, reduction: 'none' })).toEqual(binaryCrossEntropy(p, t, { weight: same, reduction: 'none' }));
    expect(binaryCrossEntropy.grad(p, t, { weight: weight as number })).toEqual(binaryCrossEntropy.grad(p, t, { weight: same }));
  });

  it('gives finite gradients for denormal and nearly-1 probabilities, with the denominator clamped at 1e-12 as PyTorch', () => {
    const eps = Math.fround(1e-12);
    const g = binaryCrossEntropy.grad([1e-320, 1 - 2 ** -53, 5e-324], [1, 0, 0], { reduction: 'sum' });
    expect(g).toEqual([(1e-320 - 1) / eps, (1 - 2 ** -53) / eps, 5e-324 / eps]);
    expect(binaryCrossEntropy([1e-320], [1])).toBe(100);
  });

  it('smooths as the mix (1 - s) l(y) + (s/2)(l(1) + l(0)) of the hard losses', () => {
    const s = 0.2;
    const hard = -Math.log(0.7);
    const both = -Math.log(0.7) - Math.log(0.3);
    expectClose(binaryCrossEntropy([0.7], [1], { labelSmoothing: s }), (1 - s) * hard + (s / 2) * both, 1e-15);
  });
});
