import { describe, expect, it } from 'vitest';
import { binaryCrossEntropy, binaryCrossEntropyWithLogits, sigmoid } from '../../src';
import { expectClose } from '../helpers/close';

const sig = (x: number) => 1 / (1 + Math.exp(-x));

describe('binaryCrossEntropyWithLogits', () => {
  it('is binary cross-entropy of sigmoid(x): log(1 + e^-x) for y = 1, log(1 + e^x) for y = 0', () => {
    expectClose(binaryCrossEntropyWithLogits([0, 2], [1, 0]), (Math.log(2) + Math.log(1 + Math.exp(2))) / 2);
  });

  it('agrees with binaryCrossEntropy on the sigmoid of moderate logits', () => {
    const x = [[-1.5, 0.3], [2, -0.7]];
    const t = [[0, 1], [0.25, 1]];
    expectClose(binaryCrossEntropyWithLogits(x, t), binaryCrossEntropy(sigmoid(x), t));
  });

  it('stays finite for logits of +-1e4', () => {
    expectClose(binaryCrossEntropyWithLogits([1e4, -1e4, 1e4], [0, 1, 1], { reduction: 'none' }), [1e4, 1e4, 0]);
    expectClose(binaryCrossEntropyWithLogits.grad([1e4, -1e4, 1e4], [0, 1, 1], { reduction: 'sum' }), [1, -1, 0]);
  });

  it('weights positive targets by posWeight along the last dimension', () => {
    const loss = binaryCrossEntropyWithLogits([[0, 0], [0, 0]], [[1, 1], [1, 0]], { posWeight: [3, 1], reduction: 'none' });
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
