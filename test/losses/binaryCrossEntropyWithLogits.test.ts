import { describe, expect, it } from 'vitest';
import { binaryCrossEntropy, binaryCrossEntropyWithLogits, sigmoid } from '../../src';
import { expectClose } from '../helpers/close';

const sig = (x: number) => 1 / (1 + Math.exp(-x));

describe('binaryCrossEntropyWithLogits', () => {
  it('is binary cross-entropy of sigmoid(x): log(1 + e^-x) for y = 1, log(1 + e^x) for y = 0', () => {
    expectClose(binaryCrossEntropyWithLogits([0, 2], [1, 0]), (Math.log(2) + Math.log(1 + Math.exp(2))) / 2);
  });

  it('agrees with binaryCrossEntropy on the sigmoid of moderate logits', () => {
    const x = [
      [-1.5, 0.3],
      [2, -0.7],
    ];
    const t = [
      [0, 1],
      [0.25, 1],
    ];
    expectClose(binaryCrossEntropyWithLogits(x, t), binaryCrossEntropy(sigmoid(x), t));
  });

  it('stays finite for logits of +-1e4', () => {
    expectClose(binaryCrossEntropyWithLogits([1e4, -1e4, 1e4], [0, 1, 1], { reduction: 'none' }), [1e4, 1e4, 0]);
    expectClose(binaryCrossEntropyWithLogits.grad([1e4, -1e4, 1e4], [0, 1, 1], { reduction: 'sum' }), [1, -1, 0]);
  });

  it('weights positive targets by posWeight along the last dimension', () => {
    const loss = binaryCrossEntropyWithLogits(
      [
        [0, 0],
        [0, 0],
      ],
      [
        [1, 1],
        [1, 0],
      ],
      { posWeight: [3, 1], reduction: 'none' },
    );
    expectClose(loss, [3 * Math.log(2), Math.log(2), 3 * Math.log(2), Math.log(2)]);
  });

  it('scales elements by an elementwise weight and smooths targets as Keras does', () => {
    const t = 1 * (1 - 0.2) + 0.2 / 2;
    const expected = 2 * -(t * Math.log(sig(1)) + (1 - t) * Math.log(1 - sig(1)));
    expectClose(binaryCrossEntropyWithLogits([1], [1], { weight: [2], labelSmoothing: 0.2 }), expected);
  });

  it('has gradient sigmoid(x) - y, over n for mean', () => {
    expectClose(binaryCrossEntropyWithLogits.grad([0, 2], [1, 0]), [(0.5 - 1) / 2, sig(2) / 2]);
  });

  it('has gradient w [(1 + (q - 1) y) sigmoid(x) - q y] with posWeight q', () => {
    const g = binaryCrossEntropyWithLogits.grad([[0, 1]], [[1, 0.5]], { posWeight: [3, 2], weight: [[1, 4]], reduction: 'sum' });
    expectClose(g, [[3 * 0.5 - 3, 4 * ((1 + 0.5) * sig(1) - 2 * 0.5)]]);
  });

  it('rejects a posWeight not broadcastable to the input and targets outside [0, 1]', () => {
    expect(() => binaryCrossEntropyWithLogits([[0, 0]], [[1, 0]], { posWeight: [1, 2, 3] })).toThrow(
      "binaryCrossEntropyWithLogits: options.posWeight must be a number or of a shape broadcastable to input shape [1,2] (at most its rank; each axis, aligned from the last, the input's size or 1), got shape [3]",
    );
    expect(() => binaryCrossEntropyWithLogits([0], [-1])).toThrow('binaryCrossEntropyWithLogits: target[0] must be a probability in [0, 1], got -1');
    expect(() => binaryCrossEntropyWithLogits([0, 1], [1, 0], { weight: [[1, 1]] })).toThrow(
      "binaryCrossEntropyWithLogits: options.weight must be a number or of a shape broadcastable to input shape [2] (at most its rank; each axis, aligned from the last, the input's size or 1), got shape [1,2]",
    );
  });
});

/** |a - b| / |b| */
const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

describe('binaryCrossEntropyWithLogits to float64 accuracy', () => {
  it('is log1p(exp(-30)) for a confident right negative logit, where (1 - t) x + softplus(-x) keeps one digit', () => {
    const value = binaryCrossEntropyWithLogits([-30], [0]);
    expect(rel(value, Math.log1p(Math.exp(-30)))).toBeLessThan(1e-15);
    const pytorchForm = -30 + (30 + Math.log1p(Math.exp(-30)));
    expect(rel(pytorchForm, Math.log1p(Math.exp(-30)))).toBeGreaterThan(1e-2);
    expect(rel(binaryCrossEntropyWithLogits([30], [1]), Math.log1p(Math.exp(-30)))).toBeLessThan(1e-15);
  });

  it('has the gradients sigmoid(x) and -sigmoid(-x) of confident logits to the last digits', () => {
    const g = binaryCrossEntropyWithLogits.grad([-40, 40], [0, 1], { reduction: 'sum' });
    const small = Math.exp(-40) / (1 + Math.exp(-40));
    expect(rel(g[0]!, small)).toBeLessThan(1e-15);
    expect(rel(g[1]!, -small)).toBeLessThan(1e-15);
  });

  it('keeps the gradient sigmoid(x) - t where the two nearly cancel (soft target 1/2 at x = 1e-20 gives x / 4)', () => {
    expect(rel(binaryCrossEntropyWithLogits.grad([1e-20], [0.5])[0]!, 2.5e-21)).toBeLessThan(1e-12);
    expect(rel(binaryCrossEntropyWithLogits.grad([2e-10], [0.5])[0]!, Math.tanh(1e-10) / 2)).toBeLessThan(1e-12);
  });

  it('smooths labels as the mix (1 - s) l(y) + (s/2)(l(1) + l(0)), so 1 - t keeps its digits', () => {
    // t = 0.9995: 1 - t = s / 2 exactly, and l = (s/2) softplus(700) + t softplus(-700)
    const value = binaryCrossEntropyWithLogits([700], [1], { labelSmoothing: 0.001 });
    expect(rel(value, (0.001 / 2) * 700)).toBeLessThan(1e-15);
  });

  it('stays finite with finite gradients for logits of +-740 and +-745', () => {
    const g = binaryCrossEntropyWithLogits.grad([740, -740, 745, -745], [0, 1, 1, 0], { reduction: 'sum' });
    expect(g).toEqual([1, -1, -Math.exp(-745), Math.exp(-745)]);
    expect(binaryCrossEntropyWithLogits([740, -740], [1, 0], { reduction: 'none' })).toEqual(new Float64Array([Math.exp(-740), Math.exp(-740)]));
  });
});

describe('binaryCrossEntropyWithLogits weight and posWeight broadcast as PyTorch broadcasts them', () => {
  const x = [
    [0.5, -1, 2],
    [1.5, 0, -0.5],
  ];
  const t = [
    [1, 0, 1],
    [0, 1, 0.25],
  ];
  const full = (v: number[][]) => ({ weight: v });
  const expanded = (f: (r: number, c: number) => number) => [0, 1].map((r) => [0, 1, 2].map((c) => f(r, c)));
  const cases: [string, unknown, number[][]][] = [
    ['a number', 0.5, expanded(() => 0.5)],
    ['[C] against [N, C]', [1, 2, 3], expanded((_, c) => c + 1)],
    ['[1, C] against [N, C]', [[1, 2, 3]], expanded((_, c) => c + 1)],
    ['[N, 1] against [N, C]', [[2], [0.5]], expanded((r) => (r ? 0.5 : 2))],
    [
      'the full shape',
      [
        [1, 2, 3],
        [4, 5, 6],
      ],
      expanded((r, c) => 3 * r + c + 1),
    ],
    ['a rank-0 tensor', { data: new Float64Array([3]), shape: [] }, expanded(() => 3)],
  ];
  it.each(cases)('weight as %s equals its full-shape expansion', (_, weight, same) => {
    for (const reduction of ['mean', 'none'] as const) {
      expect(binaryCrossEntropyWithLogits(x, t, { weight: weight as number, reduction })).toEqual(binaryCrossEntropyWithLogits(x, t, { ...full(same), reduction }));
      expect(binaryCrossEntropyWithLogits.grad(x, t, { weight: weight as number, reduction })).toEqual(binaryCrossEntropyWithLogits.grad(x, t, { ...full(same), reduction }));
    }
  });
  it.each(cases)('posWeight as %s equals its full-shape expansion', (_, posWeight, same) => {
    expect(binaryCrossEntropyWithLogits(x, t, { posWeight: posWeight as number })).toEqual(binaryCrossEntropyWithLogits(x, t, { posWeight: same }));
    expect(binaryCrossEntropyWithLogits.grad(x, t, { posWeight: posWeight as number, weight: [[1], [2]] })).toEqual(
      binaryCrossEntropyWithLogits.grad(x, t, {
        posWeight: same,
        weight: [
          [1, 1, 1],
          [2, 2, 2],
        ],
      }),
    );
  });

  it('rejects a shape that does not broadcast, or of a higher rank, naming the option and both shapes', () => {
    const broadcastable = "a number or of a shape broadcastable to input shape [2,3] (at most its rank; each axis, aligned from the last, the input's size or 1)";
    expect(() => binaryCrossEntropyWithLogits(x, t, { weight: [1, 2] })).toThrow(`binaryCrossEntropyWithLogits: options.weight must be ${broadcastable}, got shape [2]`);
    expect(() => binaryCrossEntropyWithLogits(x, t, { posWeight: [[1, 2, 3]].concat([[1, 2, 3]], [[1, 2, 3]]) })).toThrow(
      `binaryCrossEntropyWithLogits: options.posWeight must be ${broadcastable}, got shape [3,3]`,
    );
    expect(() => binaryCrossEntropyWithLogits(x, t, { weight: { data: new Float64Array(6), shape: [1, 2, 3] } })).toThrow(
      `binaryCrossEntropyWithLogits: options.weight must be ${broadcastable}, got shape [1,2,3]`,
    );
    expect(() => binaryCrossEntropyWithLogits(x, t, { posWeight: -1 })).toThrow('binaryCrossEntropyWithLogits: options.posWeight must be a finite number >= 0, got -1');
  });
});
