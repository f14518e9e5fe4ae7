import { describe, expect, it } from 'vitest';
import { entropy, klDivergence } from '../../src';
import { expectClose } from '../helpers/close';

describe('klDivergence', () => {
  it('is sum p log(p/q) with input q and target p', () => {
    expectClose(klDivergence([0.5, 0.5], [0.9, 0.1]), 0.9 * Math.log(0.9 / 0.5) + 0.1 * Math.log(0.1 / 0.5));
  });

  it('is 0 for equal distributions and takes 0 log(0/q) as 0', () => {
    expect(klDivergence([0.2, 0.8], [0.2, 0.8])).toBe(0);
    expectClose(klDivergence([0.5, 0.5], [1, 0]), Math.log(2));
  });

  it('divides the sum by the batch size for batchmean (default) and by the element count for mean', () => {
    const q = [
      [0.5, 0.5],
      [0.25, 0.75],
    ];
    const p = [
      [0.9, 0.1],
      [0.5, 0.5],
    ];
    const l = [0.9 * Math.log(0.9 / 0.5), 0.1 * Math.log(0.1 / 0.5), 0.5 * Math.log(0.5 / 0.25), 0.5 * Math.log(0.5 / 0.75)];
    const total = l[0]! + l[1]! + l[2]! + l[3]!;
    expectClose(klDivergence(q, p), total / 2);
    expectClose(klDivergence(q, p, { reduction: 'batchmean' }), total / 2);
    expectClose(klDivergence(q, p, { reduction: 'mean' }), total / 4);
    expectClose(klDivergence(q, p, { reduction: 'sum' }), total);
    expectClose(klDivergence(q, p, { reduction: 'none' }), l);
  });

  it("is the seed's fair-vs-biased die cross-entropy 2.0343 minus the fair die's entropy", () => {
    const fair = [1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6];
    const biased = [1 / 2, 1 / 10, 1 / 10, 1 / 10, 1 / 10, 1 / 10];
    const crossEntropy = -(Math.log(1 / 2) + 5 * Math.log(1 / 10)) / 6;
    expect(crossEntropy.toFixed(4)).toBe('2.0343');
    expectClose(entropy(fair) + klDivergence(biased, fair), crossEntropy);
  });

  it('has gradient -p/q with respect to q, over N for batchmean', () => {
    expectClose(klDivergence.grad([0.5, 0.5], [0.9, 0.1]), [-0.9 / 0.5, -0.1 / 0.5]);
    expectClose(
      klDivergence.grad(
        [
          [0.5, 0.5],
          [0.25, 0.75],
        ],
        [
          [1, 0],
          [0.5, 0.5],
        ],
      ),
      [
        [-1 / 0.5 / 2, 0],
        [-0.5 / 0.25 / 2, -0.5 / 0.75 / 2],
      ],
    );
    expectClose(klDivergence.grad([[0.5, 0.5]], [[1, 0]], { reduction: 'mean' }), [[-1 / 0.5 / 2, 0]]);
  });

  it('throws where q is 0 but p is not, since the divergence is infinite', () => {
    expect(() => klDivergence([1, 0], [0.5, 0.5])).toThrow('klDivergence: input[1] must be > 0 where target is > 0 (target[1] = 0.5; the divergence is infinite), got 0');
  });

  it('requires probabilities and a known reduction', () => {
    expect(() => klDivergence([0.5, 1.5], [0.5, 0.5])).toThrow('klDivergence: input[1] must be a probability in [0, 1], got 1.5');
    expect(() => klDivergence([0.5, 0.5], [-0.1, 1.1])).toThrow('klDivergence: target[0] must be a probability in [0, 1], got -0.1');
    expect(() => klDivergence([1], [1], { reduction: 'avg' as 'mean' })).toThrow("klDivergence: options.reduction must be one of 'batchmean', 'sum', 'mean', 'none', got \"avg\"");
  });
});

describe('klDivergence to float64 accuracy', () => {
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

  it('keeps the digits of nearly equal distributions, whose terms of 1e-9 cancel to 1e-18', () => {
    // p = [1/2, 1/2], q = [1/2 + d, 1/2 - d]: D = -(1/2) log(1 - 4 d^2) exactly, for d = 2^-30
    const d = 2 ** -30;
    const exact = -0.5 * Math.log1p(-4 * d * d);
    expect(rel(klDivergence([0.5 + d, 0.5 - d], [0.5, 0.5]), exact)).toBeLessThan(1e-14);
    const termByTerm = 0.5 * Math.log(0.5 / (0.5 + d)) + 0.5 * Math.log(0.5 / (0.5 - d));
    expect(rel(termByTerm, exact)).toBeGreaterThan(1e-6);
  });

  it('takes p log(p/q) as p log1p((p - q)/q) for p near q, item by item', () => {
    const q = 0.3 + 1e-12;
    expect(rel(klDivergence([q], [0.3], { reduction: 'none' })[0]!, 0.3 * Math.log1p((0.3 - q) / q))).toBeLessThan(1e-15);
  });

  it('has the gradient -p/q, finite for a denormal q under a small p', () => {
    expect(klDivergence.grad([1e-310, 1 - 1e-310], [1e-300 * 1e-10, 1 - 1e-310], { reduction: 'sum' })).toEqual([-((1e-300 * 1e-10) / 1e-310), -1]);
  });
});
