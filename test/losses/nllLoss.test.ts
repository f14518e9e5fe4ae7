import { describe, expect, it } from 'vitest';
import { crossEntropy, logSoftmax, nllLoss } from '../../src';
import { expectClose } from '../helpers/close';

describe('nllLoss', () => {
  it('is minus the input at the target class, averaged over the batch', () => {
    expectClose(
      nllLoss(
        [
          [Math.log(0.9), Math.log(0.1)],
          [Math.log(0.2), Math.log(0.8)],
        ],
        [0, 1],
      ),
      (-Math.log(0.9) - Math.log(0.8)) / 2,
    );
  });

  it('equals crossEntropy when given log-softmax of the logits', () => {
    const logits = [
      [2, 1, 0.1],
      [0.5, 2.5, 0.3],
    ];
    expectClose(nllLoss(logSoftmax(logits), [0, 2]), crossEntropy(logits, [0, 2]));
  });

  it('accepts a single sample as a [C] vector with a bare class index', () => {
    expect(nllLoss([-1, -2, -3], 2)).toBe(3);
  });

  it('weights by the target class and divides the mean by the weights taken, skipping ignoreIndex', () => {
    const x = [
      [-1, -2],
      [-3, -4],
      [-5, -6],
    ];
    expectClose(nllLoss(x, [0, 1, -100], { weight: [2, 3] }), (2 * 1 + 3 * 4) / (2 + 3));
    expectClose(nllLoss(x, [0, 1, -100], { weight: [2, 3], reduction: 'sum' }), 2 * 1 + 3 * 4);
    expectClose(nllLoss(x, [0, 7, 1], { ignoreIndex: 7, reduction: 'none' }), [1, 0, 6]);
  });

  it('has gradient -w_y / sum(w) at the target class and 0 elsewhere', () => {
    expectClose(
      nllLoss.grad(
        [
          [-1, -2],
          [-3, -4],
          [-5, -6],
        ],
        [0, 1, -100],
        { weight: [2, 3] },
      ),
      [
        [-2 / 5, 0],
        [0, -3 / 5],
        [0, 0],
      ],
    );
  });

  it('throws for a mean over nothing, when every target is ignored', () => {
    expect(() => nllLoss([[-1, -2]], [-100])).toThrow("nllLoss: reduction 'mean' needs a positive total weight, got 0 (every target ignored or weighted 0); use reduction 'sum'");
    expect(nllLoss([[-1, -2]], [-100], { reduction: 'sum' })).toBe(0);
  });

  it('rejects a class index out of range and a weight of the wrong length', () => {
    expect(() => nllLoss([[-1, -2]], [2])).toThrow('nllLoss: target[0] must be a class index in [0, 2) or ignoreIndex -100, got 2');
    expect(() => nllLoss([[-1, -2]], [0], { weight: [1] })).toThrow('nllLoss: options.weight must be 2 values, one per class, got 1');
  });
});

describe('nllLoss sums', () => {
  it('keeps terms that cancel: [[1e16], [3.5], [-1e16]] sums to -3.5 (a naive sum gives -4)', () => {
    expect(nllLoss([[1e16], [3.5], [-1e16]], [0, 0, 0], { reduction: 'sum' })).toBe(-3.5);
  });

  it("rescales weights whose total leaves float64: 'mean' with weights 1e308 is the plain mean", () => {
    const x = [
      [-1, -2],
      [-3, -4],
    ];
    expect(nllLoss(x, [0, 1], { weight: [1e308, 1e308] })).toBe(nllLoss(x, [0, 1]));
    expect(nllLoss.grad(x, [0, 1], { weight: [1e-320, 1e-320] })).toEqual(nllLoss.grad(x, [0, 1]));
  });
});
