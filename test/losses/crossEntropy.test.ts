import { describe, expect, it } from 'vitest';
import { crossEntropy } from '../../src';
import { expectClose } from '../helpers/close';

const lse = (xs: number[]) => Math.log(xs.reduce((s, v) => s + Math.exp(v), 0));

describe('crossEntropy', () => {
  it('is -log softmax at the target class, averaged over the batch', () => {
    const logits = [[2, 1, 0.1], [0.5, 2.5, 0.3]];
    const expected = ((lse(logits[0]!) - 2) + (lse(logits[1]!) - 2.5)) / 2;
    expectClose(crossEntropy(logits, [0, 1]), expected);
  });

  it('accepts a single sample as a [C] vector with a bare class index', () => {
    expectClose(crossEntropy([2, 1, 0.1], 0), lse([2, 1, 0.1]) - 2);
  });

  it('weights the mean by the target classes weights and skips ignoreIndex', () => {
    const logits = [[1, 2], [3, 1], [0, 0]];
    const l0 = lse([1, 2]) - 1;
    const l1 = lse([3, 1]) - 1;
    expectClose(crossEntropy(logits, [0, 1, -100], { weight: [2, 3] }), (2 * l0 + 3 * l1) / (2 + 3));
  });

  it('has gradient softmax(x) - onehot(y), over the batch size for mean', () => {
    const p = 1 / (1 + Math.exp(-1));
    expectClose(crossEntropy.grad([[1, 0]], [1]), [[p, -p]]);
  });

  it('stays finite for logits of +-1e4', () => {
    expect(crossEntropy([[1e4, -1e4]], [1])).toBe(2e4);
    expectClose(crossEntropy.grad([[1e4, -1e4]], [1]), [[1, -1]]);
  });

  it('takes probability targets of the input shape', () => {
    const t = [0.25, 0.75];
    expectClose(crossEntropy([1, 0], t), -(0.25 * (1 - lse([1, 0])) + 0.75 * (0 - lse([1, 0]))));
  });

  it('rejects a class index out of range', () => {
    expect(() => crossEntropy([[1, 2]], [2])).toThrow('crossEntropy: target[0] must be a class index in [0, 2) or ignoreIndex -100, got 2');
  });
});

describe('crossEntropy.valueAndGrad', () => {
  it('gives the same value and gradient as the separate calls, in one pass', () => {
    const logits = [[2, 1, 0.1], [0.5, 2.5, 0.3]];
    const both = crossEntropy.valueAndGrad(logits, [0, 2], { labelSmoothing: 0.1 });
    expect(both.value).toBe(crossEntropy(logits, [0, 2], { labelSmoothing: 0.1 }));
    expect(both.grad).toEqual(crossEntropy.grad(logits, [0, 2], { labelSmoothing: 0.1 }));
  });
});
