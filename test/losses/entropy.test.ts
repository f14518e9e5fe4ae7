import { describe, expect, it } from 'vitest';
import { entropy } from '../../src';
import { expectClose } from '../helpers/close';

describe('entropy', () => {
  it("is ln 6 = 1.7918 for a fair die, as in seed 003", () => {
    const h = entropy([1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6]);
    expectClose(h, Math.log(6));
    expect(h.toFixed(4)).toBe('1.7918');
  });

  it('takes 0 ln 0 as 0, so a certain outcome has entropy 0', () => {
    expect(entropy([0, 1, 0])).toBe(0);
    expectClose(entropy([0.5, 0, 0.5]), Math.log(2));
  });

  it('returns one entropy per row of a [N, C] batch', () => {
    const h = entropy([[0.5, 0.5], [0.25, 0.75]]);
    expect(h).toBeInstanceOf(Float64Array);
    expectClose(h, [Math.log(2), -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75))]);
  });

  it('requires probabilities', () => {
    expect(() => entropy([0.5, 1.5])).toThrow('entropy: p[1] must be a probability in [0, 1], got 1.5');
  });
});
