import { describe, expect, it } from 'vitest';
import { binaryCrossEntropy, binaryCrossEntropyWithLogits, binaryFocalCrossEntropy } from '../../src';
import { expectClose } from '../helpers/close';

describe('binaryFocalCrossEntropy', () => {
  const p = [
    [0.6, 0.4, 0.9],
    [0.2, 0.75, 0.05],
  ];
  const y = [
    [0, 1, 1],
    [0, 0, 1],
  ];
  const bce = (q: number, t: number) => -(t * Math.log(q) + (1 - t) * Math.log(1 - q));

  it("gives Keras's documented example, [0.330, 0.206] as row means", () => {
    const items = binaryFocalCrossEntropy(
      [
        [0.6, 0.4],
        [0.4, 0.6],
      ],
      [
        [0, 1],
        [0, 0],
      ],
      { reduction: 'none' },
    );
    expect(Number(((items[0]! + items[1]!) / 2).toFixed(3))).toBe(0.33);
    expect(Number(((items[2]! + items[3]!) / 2).toFixed(3))).toBe(0.206);
  });

  it('is (1 - p_t)^gamma times the binary cross-entropy, weighted by alpha when balancing', () => {
    expectClose(binaryFocalCrossEntropy([0.6, 0.9], [0, 1], { reduction: 'none' }), [0.6 ** 2 * bce(0.6, 0), 0.1 ** 2 * bce(0.9, 1)]);
    expectClose(binaryFocalCrossEntropy([0.6, 0.9], [0, 1], { applyClassBalancing: true, alpha: 0.3, reduction: 'none' }), [
      0.7 * 0.6 ** 2 * bce(0.6, 0),
      0.3 * 0.1 ** 2 * bce(0.9, 1),
    ]);
  });

  it('is binaryCrossEntropy at gamma 0 without class balancing (inside the 1e-7 clip), with its smoothing', () => {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      expectClose(binaryFocalCrossEntropy(p, y, { gamma: 0, reduction }), binaryCrossEntropy(p, y, { reduction }));
      expectClose(binaryFocalCrossEntropy.grad(p, y, { gamma: 0, reduction }), binaryCrossEntropy.grad(p, y, { reduction }));
    }
    expectClose(binaryFocalCrossEntropy(p, y, { gamma: 0, labelSmoothing: 0.2 }), binaryCrossEntropy(p, y, { labelSmoothing: 0.2 }));
  });

  it('clips probabilities at 1e-7 as Keras (where binaryCrossEntropy clamps its log at -100)', () => {
    expectClose(binaryFocalCrossEntropy([0], [1], { gamma: 0 }), -Math.log(1e-7));
    expect(binaryFocalCrossEntropy.grad([0], [1], { gamma: 0 })).toEqual([0]);
  });

  it('from logits is the same loss on sigmoid(x), and at gamma 0 binaryCrossEntropyWithLogits', () => {
    const x = [[0.5, -1.5, 2]];
    const t = [[1, 0, 1]];
    const s = x.map((r) => r.map((v) => 1 / (1 + Math.exp(-v))));
    expectClose(binaryFocalCrossEntropy(x, t, { fromLogits: true }), binaryFocalCrossEntropy(s, t));
    expectClose(binaryFocalCrossEntropy(x, t, { fromLogits: true, gamma: 0 }), binaryCrossEntropyWithLogits(x, t));
    expectClose(binaryFocalCrossEntropy.grad(x, t, { fromLogits: true, gamma: 0 }), binaryCrossEntropyWithLogits.grad(x, t));
  });

  it('has the gradient of finite differences', () => {
    const o = { gamma: 1.5, applyClassBalancing: true, alpha: 0.4, labelSmoothing: 0.1 };
    const g = binaryFocalCrossEntropy.grad([0.3, 0.8], [1, 0], { ...o, reduction: 'sum' });
    const h = 1e-6;
    const f = (a: number, b: number) => binaryFocalCrossEntropy([a, b], [1, 0], { ...o, reduction: 'sum' });
    expectClose(g, [(f(0.3 + h, 0.8) - f(0.3 - h, 0.8)) / (2 * h), (f(0.3, 0.8 + h) - f(0.3, 0.8 - h)) / (2 * h)], 1e-7);
  });

  it('gives value and gradient in one pass', () => {
    const vg = binaryFocalCrossEntropy.valueAndGrad(p, y, { gamma: 3 });
    expectClose(vg.value, binaryFocalCrossEntropy(p, y, { gamma: 3 }));
    expectClose(vg.grad, binaryFocalCrossEntropy.grad(p, y, { gamma: 3 }));
  });

  it('rejects probabilities outside [0, 1] (not from logits) and a negative gamma', () => {
    expect(() => binaryFocalCrossEntropy([1.5], [1])).toThrow('binaryFocalCrossEntropy: input[0] must be a probability in [0, 1], got 1.5');
    expect(() => binaryFocalCrossEntropy([0.5], [1], { gamma: -1 })).toThrow('binaryFocalCrossEntropy: options.gamma must be a finite number >= 0, got -1');
  });
});
