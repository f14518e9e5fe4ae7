import { describe, expect, it } from 'vitest';
import { mse, sse } from '../../src';
import { expectClose } from '../helpers/close';

describe('sse', () => {
  it('is the sum of squared differences, n times mse', () => {
    const x = [1, 3, 5, 6, 7];
    const y = [3, 2, 7, 5, 8];
    expect(sse(x, y)).toBe(4 + 1 + 4 + 1 + 1);
    expectClose(sse(x, y), 5 * mse(x, y));
  });

  it("gives the source's 5.5 with half: true (seed 000's mse, 1/2 * sum)", () => {
    expect(sse([1, 3, 5, 6, 7], [3, 2, 7, 5, 8], { half: true })).toBe((4 + 1 + 4 + 1 + 1) / 2);
  });

  it('returns the per-element (half) squares with reduction none', () => {
    expectClose(sse([1, 2], [0, 0], { reduction: 'none' }), [1, 4]);
    expectClose(sse([[1, 2]], [[0, 0]], { reduction: 'none', half: true }), [0.5, 2]);
  });

  it('has gradient 2(x - y), or x - y with half', () => {
    expect(sse.grad([1, 2], [0, 0])).toEqual([2, 4]);
    expect(sse.grad([[1, 2]], [[0, 3]], { half: true })).toEqual([[1, -1]]);
    expect(sse.grad([1, 2], [0, 0], { reduction: 'none' })).toEqual([2, 4]);
  });

  it('has no mean reduction (that is mse) and checks half is a boolean', () => {
    expect(() => sse([1], [0], { reduction: 'mean' as 'sum' })).toThrow("sse: options.reduction must be one of 'sum', 'none', got \"mean\"");
    expect(() => sse([1], [0], { half: 1 as unknown as boolean })).toThrow('sse: options.half must be true or false, got 1');
  });
});
