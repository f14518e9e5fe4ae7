import { describe, expect, it } from 'vitest';
import { generalizedCrossEntropy as gce } from '../../src';
import { expectClose, flatten } from '../helpers/close';

describe('generalizedCrossEntropy', () => {
  it('is (1 - p_y^q) / q with p_y the input at the target class, q 0.5 by default, averaged', () => {
    const p = [
      [0.7, 0.3],
      [0.2, 0.8],
      [0.6, 0.4],
      [0.4, 0.6],
    ];
    const items = [0.7, 0.8, 0.6, 0.6].map((v) => (1 - Math.sqrt(v)) / 0.5);
    expectClose(gce(p, [0, 1, 0, 1]), items.reduce((a, b) => a + b, 0) / 4);
    expectClose(gce(p, [0, 1, 0, 1], { reduction: 'none' }), items);
    expectClose(
      gce(p, [0, 1, 0, 1], { q: 0.2, reduction: 'sum' }),
      [0.7, 0.8, 0.6, 0.6].reduce((s, v) => s + (1 - v ** 0.2) / 0.2, 0),
    );
    expect(gce.defaults.q).toBe(0.5);
  });

  it('takes the probability as it is: no renormalisation, no clip', () => {
    expectClose(gce([0.1, 0.1], 0), (1 - Math.sqrt(0.1)) / 0.5);
    expect(gce([0, 1], 0, { q: 0.25 })).toBe(4);
    expect(gce([1, 0], 0)).toBe(0);
  });

  it('tends to -log p as q -> 0 and to 1 - p as q -> 1', () => {
    expectClose(gce([0.3, 0.7], 1, { q: 1e-9 }), -Math.log(0.7), 1e-8);
    expectClose(gce([0.3, 0.7], 1, { q: 1 - 1e-9 }), 0.3, 1e-8);
  });

  it('keeps the digits of a confident prediction: -expm1(q log p) / q', () => {
    const p = 1 - 2 ** -40;
    expect(Math.abs(gce([p, 2 ** -40], 0) / (-Math.expm1(0.5 * Math.log1p(-(2 ** -40))) / 0.5) - 1)).toBeLessThan(1e-15);
    expect(Math.abs(gce([p, 2 ** -40], 0) / 2 ** -40 - 1)).toBeLessThan(1e-12);
  });

  it('has gradient -p_y^(q - 1) at the target class and 0 elsewhere, over N for the mean', () => {
    expectClose(
      gce.grad(
        [
          [0.25, 0.75],
          [0.5, 0.5],
        ],
        [0, 1],
        { q: 0.5 },
      ),
      [
        [-2 / 2, 0],
        [0, -Math.SQRT2 / 2],
      ],
    );
    expectClose(gce.grad([0.3, 0.2, 0.5], 2, { q: 0.3 }), [0, 0, -(0.5 ** -0.7)]);
  });

  it('throws for the infinite gradient at p_y = 0, where the value is 1/q', () => {
    expect(gce([0, 1], 0)).toBe(2);
    expect(() => gce.grad([0, 1], 0)).toThrow('generalizedCrossEntropy: the gradient at input[0] (-p^(q - 1) at p = 0) must be finite, got -Infinity');
    expect(() => gce.grad([5e-324, 1], 0, { q: 0.01 })).toThrow('generalizedCrossEntropy: the gradient at input[0]');
  });

  it('rejects bad input and options with clear errors', () => {
    expect(() => gce([[0.5, 1.5]], [0])).toThrow('generalizedCrossEntropy: input[1] must be a probability in [0, 1], got 1.5');
    expect(() => gce([[0.5, 0.5]], [2])).toThrow('generalizedCrossEntropy: target[0] must be a class index in [0, 2), got 2');
    expect(() => gce([[0.5, 0.5]], [0, 1])).toThrow('generalizedCrossEntropy: target must be 1 class index, one per sample, got 2');
    for (const q of [0, 1, -0.5, 2]) expect(() => gce([0.5, 0.5], 0, { q })).toThrow(`generalizedCrossEntropy: options.q must be a finite number > 0 and < 1, got ${q}`);
    expect(flatten(gce.grad([0.5, 0.5], 0, { reduction: 'none' }))).toEqual([-Math.SQRT2, 0]);
  });
});
