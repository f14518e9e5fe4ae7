import { describe, expect, it } from 'vitest';
import { hingeEmbeddingLoss } from '../../src';
import { expectClose } from '../helpers/close';

describe('hingeEmbeddingLoss', () => {
  it('is x for similar pairs and max(0, margin - x) for dissimilar ones', () => {
    expectClose(hingeEmbeddingLoss([0.3, 0.4, 2], [1, -1, -1], { reduction: 'none' }), [0.3, 0.6, 0]);
    expectClose(hingeEmbeddingLoss([0.3, 0.4, 2], [1, -1, -1]), (0.3 + 0.6) / 3);
    expectClose(hingeEmbeddingLoss([0.3, 0.4, 2], [1, -1, -1], { margin: 2.5, reduction: 'sum' }), 0.3 + 2.1 + 0.5);
  });

  it('has gradient 1 for similar pairs, -1 for dissimilar ones up to the margin (at it too, as PyTorch)', () => {
    expect(hingeEmbeddingLoss.grad([0.3, 0.4, 2, 1], [1, -1, -1, -1], { reduction: 'sum' })).toEqual([1, -1, 0, -1]);
    expectClose(hingeEmbeddingLoss.grad([0.3, 0.4], [1, -1]), [0.5, -0.5]);
  });

  it('gives value and gradient in one pass', () => {
    const vg = hingeEmbeddingLoss.valueAndGrad([0.3, 0.4, 2], [1, -1, -1], { margin: 3 });
    expectClose(vg.value, hingeEmbeddingLoss([0.3, 0.4, 2], [1, -1, -1], { margin: 3 }));
    expectClose(vg.grad, hingeEmbeddingLoss.grad([0.3, 0.4, 2], [1, -1, -1], { margin: 3 }));
  });

  it('rejects targets other than -1 and 1', () => {
    expect(() => hingeEmbeddingLoss([1, 2], [1, 0.5])).toThrow('hingeEmbeddingLoss: target[1] must be -1 or 1, got 0.5');
  });
});
