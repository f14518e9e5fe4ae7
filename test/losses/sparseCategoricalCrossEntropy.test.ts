import { describe, expect, it } from 'vitest';
import { categoricalCrossEntropy, crossEntropy, sparseCategoricalCrossEntropy } from '../../src';
import { expectClose } from '../helpers/close';

describe('sparseCategoricalCrossEntropy', () => {
  it("is categoricalCrossEntropy with one-hot targets: the source post's example from class indices", () => {
    const p = [[0.3, 0.1, 0.6], [0.3, 0.5, 0.2], [0.4, 0.1, 0.5]];
    expectClose(sparseCategoricalCrossEntropy(p, [0, 1, 2]), (-Math.log(0.3) - 2 * Math.log(0.5)) / 3);
    expectClose(sparseCategoricalCrossEntropy(p, [0, 1, 2]), 0.8634223884819422);
    expectClose(sparseCategoricalCrossEntropy.grad(p, [2, 0, 1]), categoricalCrossEntropy.grad(p, [[0, 0, 1], [1, 0, 0], [0, 1, 0]]));
  });

  it('renormalises and clips probabilities as Keras does', () => {
    expectClose(sparseCategoricalCrossEntropy([[0.1, 0.3]], [1]), -Math.log(0.3 / 0.4));
    expectClose(sparseCategoricalCrossEntropy([[0, 1]], [0], { reduction: 'none' }), [-Math.log(1e-7)]);
  });

  it('is crossEntropy with fromLogits', () => {
    const logits = [[2, 1, 0.1], [0.5, 2.5, 0.3]];
    expectClose(sparseCategoricalCrossEntropy(logits, [0, 1], { fromLogits: true }), crossEntropy(logits, [0, 1]));
    expectClose(sparseCategoricalCrossEntropy.grad(logits, [0, 1], { fromLogits: true }), crossEntropy.grad(logits, [0, 1]));
  });

  it('accepts a single sample as a [C] vector with a bare class index', () => {
    expectClose(sparseCategoricalCrossEntropy([0.25, 0.75], 1), -Math.log(0.75));
  });

  it('has no labelSmoothing, as Keras, and rejects class indices out of range', () => {
    expect(() => sparseCategoricalCrossEntropy([[0.5, 0.5]], [0], { labelSmoothing: 0.1 } as object)).toThrow(
      'sparseCategoricalCrossEntropy: option "labelSmoothing" must be one of reduction, fromLogits, got an unknown option',
    );
    expect(() => sparseCategoricalCrossEntropy([[0.5, 0.5]], [2])).toThrow('sparseCategoricalCrossEntropy: target[0] must be a class index in [0, 2), got 2');
  });
});
