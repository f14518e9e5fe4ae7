import { describe, expect, it } from 'vitest';
import { cosineEmbeddingLoss } from '../../src';
import { expectClose } from '../helpers/close';
import { exactCases, expectExact, expectGradientMatches, finiteDifference, relativeError } from '../helpers/multiLoss';

/** PyTorch's EPSILON: the float32 nearest 1e-12. */
const EPS = Math.fround(1e-12);

describe('cosineEmbeddingLoss', () => {
  it('is 1 - cos for similar pairs and max(0, cos - margin) for dissimilar ones', () => {
    // [1, 1] vs [1, 0]: cos = 1/√2 (up to the eps)
    expectClose(cosineEmbeddingLoss([[1, 1]], [[1, 0]], [1]), 1 - Math.SQRT1_2, 1e-11);
    expectClose(cosineEmbeddingLoss([[1, 1]], [[1, 0]], [-1], { margin: 0.5 }), Math.SQRT1_2 - 0.5, 1e-11);
    expect(cosineEmbeddingLoss([[1, 1]], [[-1, 0]], [-1])).toBe(0);
  });

  it('adds PyTorch eps to each squared norm: parallel vectors cost only that', () => {
    // a = [3, 4], b = 2a: 1 - 50 / √((25 + eps)(100 + eps)), exactly (eps/25 + eps/100)/2 to first order
    expectClose(cosineEmbeddingLoss([3, 4], [6, 8], 1), (EPS / 25 + EPS / 100) / 2, 1e-11);
    // a zero vector: cosine 0 with anything
    expect(
      cosineEmbeddingLoss(
        [
          [0, 0],
          [0, 0],
        ],
        [
          [1, 2],
          [3, 4],
        ],
        [1, -1],
        { reduction: 'none' },
      ),
    ).toEqual(new Float64Array([1, 0]));
  });

  it('reduces over rows by mean (default), sum or not at all', () => {
    const a = [
      [1, 0],
      [0, 1],
      [1, 1],
    ];
    const b = [
      [0, 1],
      [0, 2],
      [-1, -1],
    ];
    const none = cosineEmbeddingLoss(a, b, [1, 1, -1], { reduction: 'none' });
    expectClose(none, [1, 0, 0], 1e-11);
    expect(cosineEmbeddingLoss(a, b, [1, 1, -1], { reduction: 'sum' })).toBe(none[0]! + none[1]! + none[2]!);
    expect(cosineEmbeddingLoss(a, b, [1, 1, -1])).toBe((none[0]! + none[1]! + none[2]!) / 3);
  });

  it('takes one [D] pair with a bare number, [y] or a rank-0 tensor as its target', () => {
    const v = cosineEmbeddingLoss([1, 2, 3], [3, 1, 2], 1);
    expect(cosineEmbeddingLoss([1, 2, 3], [3, 1, 2], [1])).toBe(v);
    expect(cosineEmbeddingLoss([1, 2, 3], [3, 1, 2], { data: new Float64Array([1]), shape: [] })).toBe(v);
    expect(cosineEmbeddingLoss([[1, 2, 3]], [[3, 1, 2]], [1])).toBe(v);
  });

  it('matches central differences, for both labels and both arguments', () => {
    const a = [
      [0.3, -1.2, 2],
      [0.7, 0.1, -0.4],
      [1, 2, 3],
    ];
    const b = [
      [0.9, -2, 1],
      [0.2, 0.5, -1.3],
      [1.1, 2.1, 2.8],
    ];
    const args = [a, b, [1, -1, 1]];
    for (const options of [{}, { margin: -0.3, reduction: 'sum' }]) {
      const g = cosineEmbeddingLoss.grad(a, b, [1, -1, 1], options as object) as number[][][];
      for (const k of [0, 1]) expectGradientMatches(g[k], finiteDifference(cosineEmbeddingLoss as never, args, k, options));
    }
  });

  it('gives no gradient to dissimilar pairs below the margin', () => {
    expect(cosineEmbeddingLoss.grad([[1, 0]], [[-1, 1]], [-1])).toEqual([[[0, 0]], [[0, 0]]]);
  });

  it('keeps every digit of 1 - cos for nearly parallel pairs, where PyTorch loses most of them', () => {
    const { worst, worstTorch } = expectExact(cosineEmbeddingLoss as never, 'cosineEmbeddingLoss', 2e-15);
    expect(worst).toBeLessThan(1e-15);
    expect(worstTorch).toBeGreaterThan(1e-4);
    const nearlyParallel = exactCases('cosineEmbeddingLoss').find((c) => c.name === 'nearly parallel pairs, target 1')!;
    const got = cosineEmbeddingLoss(...(nearlyParallel.args as [number[][], number[][], number[]]), nearlyParallel.options) as unknown as Float64Array;
    (nearlyParallel.exact as number[]).forEach((e, i) => expect(relativeError(got[i]!, e)).toBeLessThan(1e-15));
  });

  it('gives a finite loss and gradient for vectors whose squared norm overflows (PyTorch: NaN)', () => {
    // cos is scale-free but for the eps, negligible at |a| = 1e6 and at 1e300 alike
    const big = [[1e300, 2e300, -1e300]];
    const mid = [[1e6, 2e6, -1e6]];
    const b = [[0.5e6, 3e6, 1e6]];
    expectClose(cosineEmbeddingLoss(big, b, [-1]), cosineEmbeddingLoss(mid, b, [-1]), 1e-15);
    const [ga] = cosineEmbeddingLoss.grad(big, b, [-1]) as number[][][];
    const [gm] = cosineEmbeddingLoss.grad(mid, b, [-1]) as number[][][];
    ga![0]!.forEach((v, j) => expectClose(v * 1e300, gm![0]![j]! * 1e6, 1e-14));
  });

  it('rejects labels other than -1 and 1, and shapes that do not fit', () => {
    expect(() => cosineEmbeddingLoss([[1, 2]], [[1, 2]], [0])).toThrow('cosineEmbeddingLoss: target[0] must be -1 or 1, got 0');
    expect(() => cosineEmbeddingLoss([1, 2], [1, 2], 0.5)).toThrow('cosineEmbeddingLoss: target must be -1 or 1, got 0.5');
    expect(() =>
      cosineEmbeddingLoss(
        [
          [1, 2],
          [3, 4],
        ],
        [
          [1, 2],
          [3, 4],
        ],
        [1],
      ),
    ).toThrow('cosineEmbeddingLoss: target must be of shape [2], one label per row of input1, got shape [1]');
    expect(() => cosineEmbeddingLoss([[1, 2]], [[1, 2]], 1)).toThrow('cosineEmbeddingLoss: target must be of shape [1], one label per row of input1, got 1');
    expect(() => cosineEmbeddingLoss([[1, 2]], [[1, 2, 3]], [1])).toThrow('cosineEmbeddingLoss: input2 must be of shape [1,2] like input1, got shape [1,3]');
    expect(() => cosineEmbeddingLoss({ data: new Float64Array(8), shape: [2, 2, 2] }, [1], [1])).toThrow(
      'cosineEmbeddingLoss: input1 shape must be [D] or [N, D] (one vector per row), got shape [2,2,2]',
    );
  });
});
