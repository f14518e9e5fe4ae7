import { describe, expect, it } from 'vitest';
import { categoricalCrossEntropy, crossEntropy, sparseCategoricalCrossEntropy } from '../../src';
import { expectClose } from '../helpers/close';

describe('sparseCategoricalCrossEntropy', () => {
  it("is categoricalCrossEntropy with one-hot targets: the source post's example from class indices", () => {
    const p = [
      [0.3, 0.1, 0.6],
      [0.3, 0.5, 0.2],
      [0.4, 0.1, 0.5],
    ];
    expectClose(sparseCategoricalCrossEntropy(p, [0, 1, 2]), (-Math.log(0.3) - 2 * Math.log(0.5)) / 3);
    expectClose(sparseCategoricalCrossEntropy(p, [0, 1, 2]), 0.8634223884819422);
    expectClose(
      sparseCategoricalCrossEntropy.grad(p, [2, 0, 1]),
      categoricalCrossEntropy.grad(p, [
        [0, 0, 1],
        [1, 0, 0],
        [0, 1, 0],
      ]),
    );
  });

  it('renormalises and clips probabilities as Keras does', () => {
    expectClose(sparseCategoricalCrossEntropy([[0.1, 0.3]], [1]), -Math.log(0.3 / 0.4));
    expectClose(sparseCategoricalCrossEntropy([[0, 1]], [0], { reduction: 'none' }), [-Math.log(1e-7)]);
  });

  it('is crossEntropy with fromLogits', () => {
    const logits = [
      [2, 1, 0.1],
      [0.5, 2.5, 0.3],
    ];
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

describe('sparseCategoricalCrossEntropy from logits', () => {
  it("runs crossEntropy's class-index rows: the same bits, value and gradient, float64 and float32", () => {
    const x = Array.from({ length: 6 }, (_, r) => Array.from({ length: 20 }, (_, c) => Math.fround(Math.cos(r * 20 + c) * 9)));
    const y = [0, 19, 3, 7, 7, 12];
    for (const Kind of [Float64Array, Float32Array]) {
      const input = { data: Kind.from(x.flat()), shape: [6, 20] };
      const a = sparseCategoricalCrossEntropy.valueAndGrad(input, y, { fromLogits: true, out: new Kind(120) });
      const b = crossEntropy.valueAndGrad(input, y, { out: new Kind(120) });
      expect(a.value).toBe(b.value);
      expect(Array.from(a.grad)).toEqual(Array.from(b.grad));
    }
  });

  it('keeps a confident row: [[0, 40]] is log1p(e^-40)', () => {
    expect(sparseCategoricalCrossEntropy([[0, 40]], [1], { fromLogits: true })).toBe(Math.log1p(Math.exp(-40)));
  });

  it('keeps a confident probability row: -log(0.99999 / 1.00000999...) from the other classes', () => {
    // -log(p / Σp) = log1p((3e-6 + 7e-6) / 0.99999), the same row Keras sums to 1 - 1e-16
    const v = sparseCategoricalCrossEntropy([[0.99999, 3e-6, 7e-6]], [0]);
    expect(Math.abs(v - Math.log1p((3e-6 + 7e-6) / 0.99999))).toBeLessThan(1e-15 * v);
  });
});
