import { describe, expect, it } from 'vitest';
import { tripletMarginLoss } from '../../src';
import { expectClose } from '../helpers/close';
import { expectExact, expectGradientMatches, finiteDifference } from '../helpers/multiLoss';

describe('tripletMarginLoss', () => {
  it('is max(0, margin + d(a, p) - d(a, n)) per row', () => {
    // d(a, p) = 5, d(a, n) = 1: 1 + 5 - 1
    expect(tripletMarginLoss([[0, 0]], [[3, 4]], [[1, 0]], { eps: 0 })).toBe(5);
    expect(tripletMarginLoss([[0, 0]], [[1, 0]], [[3, 4]], { eps: 0 })).toBe(0);
    expect(tripletMarginLoss([[0, 0]], [[1, 0]], [[3, 4]], { eps: 0, margin: 4.5 })).toBe(0.5);
  });

  it('adds eps to every difference, as PyTorch pairwise_distance', () => {
    // a = p: d(a, p) = ||eps·1||_2 = 2 eps over 4 elements; d(a, n) = ||[-1 + eps, eps, eps, eps]||
    const eps = 1e-3;
    const dan = Math.sqrt((-1 + eps) ** 2 + 3 * eps ** 2);
    expectClose(tripletMarginLoss([0, 0, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0], { eps }), 1 + 2 * eps - dan, 1e-15);
  });

  it('takes any norm degree p > 0', () => {
    const args = [[[0, 0]], [[3, 4]], [[1, 1]]] as const;
    expect(tripletMarginLoss(...args, { eps: 0, p: 1 })).toBe(1 + 7 - 2);
    expectClose(tripletMarginLoss(...args, { eps: 0, p: 3 }), 1 + Math.cbrt(27 + 64) - Math.cbrt(2), 1e-15);
    expectClose(tripletMarginLoss(...args, { eps: 0, p: 0.5 }), 1 + (Math.sqrt(3) + 2) ** 2 - 4, 1e-14);
  });

  it('with swap, uses the nearer of d(a, n) and d(p, n)', () => {
    // d(a, n) = 3, d(p, n) = 1: swap takes 1
    expect(tripletMarginLoss([0], [2], [3], { eps: 0, margin: 2 })).toBe(2 + 2 - 3);
    expect(tripletMarginLoss([0], [2], [3], { eps: 0, margin: 2, swap: true })).toBe(2 + 2 - 1);
  });

  it('reduces over rows by mean (default), sum or not at all', () => {
    const args = [
      [
        [0, 0],
        [0, 0],
      ],
      [
        [3, 4],
        [0, 2],
      ],
      [
        [1, 0],
        [1, 0],
      ],
    ] as const;
    expect(tripletMarginLoss(...args, { eps: 0, reduction: 'none' })).toEqual(new Float64Array([5, 2]));
    expect(tripletMarginLoss(...args, { eps: 0, reduction: 'sum' })).toBe(7);
    expect(tripletMarginLoss(...args, { eps: 0 })).toBe(3.5);
  });

  it('has gradient (a - p)/d(a, p) - (a - n)/d(a, n) for the anchor, and its parts for p and n', () => {
    expect(tripletMarginLoss.grad([0, 0], [0, 2], [1, 0], { eps: 0 })).toEqual([
      [1, -1],
      [0, 1],
      [-1, 0],
    ]);
    // an inactive row has no gradient
    expect(tripletMarginLoss.grad([[0, 0]], [[1, 0]], [[3, 4]], { eps: 0 })).toEqual([[[0, 0]], [[0, 0]], [[0, 0]]]);
  });

  it('matches central differences for p = 2, 1.5 and 3, with and without swap', () => {
    const a = [
      [0.3, -1.2, 2],
      [0.7, 0.1, -0.4],
    ];
    const p = [
      [0.9, -0.8, 1.4],
      [0.2, 0.5, -1.3],
    ];
    const n = [
      [0.1, -1.5, 1.2],
      [1.4, -0.2, 0.4],
    ];
    for (const options of [{}, { p: 1.5, margin: 2 }, { p: 3, swap: true, margin: 2, reduction: 'sum' }, { swap: true, margin: 2 }]) {
      const g = tripletMarginLoss.grad(a, p, n, options as object) as number[][][];
      for (const k of [0, 1, 2]) expectGradientMatches(g[k], finiteDifference(tripletMarginLoss as never, [a, p, n], k, options));
    }
  });

  it('gives zero gradient at zero distance, and half to each side of a swap tie, as PyTorch', () => {
    const [ga, gp, gn] = tripletMarginLoss.grad([[1, 2]], [[1, 2]], [[1, 3]], { eps: 0, margin: 5, swap: true }) as number[][][];
    // d(a, p) = 0 contributes nothing; d(a, n) = d(p, n) = 1: each takes half of -(x - n)/1
    expect(ga).toEqual([[0, 0.5]]);
    expect(gp).toEqual([[0, 0.5]]);
    expect(gn).toEqual([[0, -1]]);
  });

  it('equals the exact value of every PyTorch fixture case to 1e-14', () => {
    expectExact(tripletMarginLoss as never, 'tripletMarginLoss', 1e-14);
  });

  it('computes distances without intermediate overflow, and throws when a distance overflows', () => {
    expectClose(tripletMarginLoss([[1e200, 0]], [[0, 0]], [[3e200, 0]], { eps: 0, margin: 0, reduction: 'sum' }), 0);
    expectClose(tripletMarginLoss([[3e200, 0]], [[0, 0]], [[1e200, 0]], { eps: 0, margin: 0 }), 1e200, 1e-15);
    expectClose(tripletMarginLoss([[1e-200, 0]], [[0, 0]], [[0, 0]], { eps: 0, margin: 0, p: 3 }), 0);
    expectClose(tripletMarginLoss([[3e-200, 4e-200]], [[0, 0]], [[0, 0]], { eps: 0, margin: 1e-200 }), 1e-200, 1e-15);
    expect(() => tripletMarginLoss([[1.7e308, 0]], [[-1.7e308, 0]], [[0, 0]])).toThrow('tripletMarginLoss: the anchor-positive distance of row 0 must be finite, got Infinity');
  });

  it('rejects NaN and ±Infinity in any argument, naming it, typed arrays included', () => {
    const ok = new Float64Array([1, 2]);
    expect(() => tripletMarginLoss(ok, ok, new Float64Array([1, NaN]))).toThrow('tripletMarginLoss: negative[1] must be a finite number, got NaN');
    expect(() => tripletMarginLoss.grad(ok, new Float32Array([-Infinity, 0]), ok, { swap: true })).toThrow('tripletMarginLoss: positive[0] must be a finite number, got -Infinity');
    expect(() => tripletMarginLoss([[1, 2]], [[1, 2]], [[Infinity, 2]])).toThrow('tripletMarginLoss: negative[0][0] must be a finite number, got Infinity');
  });

  it('rejects shapes that differ, ranks above 2 and bad options', () => {
    expect(() => tripletMarginLoss([[1, 2]], [[1, 2]], [[1, 2, 3]])).toThrow('tripletMarginLoss: negative must be of shape [1,2] like anchor, got shape [1,3]');
    expect(() => tripletMarginLoss({ data: new Float64Array(8), shape: [2, 2, 2] }, [1], [1])).toThrow(
      'tripletMarginLoss: anchor shape must be [D] or [N, D] (one vector per row), got shape [2,2,2]',
    );
    expect(() => tripletMarginLoss([1], [1], [1], { p: 0 })).toThrow('tripletMarginLoss: options.p must be a finite number > 0, got 0');
    expect(() => tripletMarginLoss([1], [1], [1], { eps: -1 })).toThrow('tripletMarginLoss: options.eps must be a finite number >= 0, got -1');
    expect(() => tripletMarginLoss([1], [1], [1], { swap: 1 } as object)).toThrow('tripletMarginLoss: options.swap must be true or false, got 1');
  });
});
