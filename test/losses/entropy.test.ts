import { describe, expect, it } from 'vitest';
import { entropy } from '../../src';
import { expectClose } from '../helpers/close';

describe('entropy', () => {
  it('is ln 6 = 1.7918 for a fair die, as in seed 003', () => {
    const h = entropy([1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6]);
    expectClose(h, Math.log(6));
    expect(h.toFixed(4)).toBe('1.7918');
  });

  it('takes 0 ln 0 as 0, so a certain outcome has entropy 0', () => {
    expect(entropy([0, 1, 0])).toBe(0);
    expectClose(entropy([0.5, 0, 0.5]), Math.log(2));
  });

  it('returns one entropy per row of a [N, C] batch', () => {
    const h = entropy([
      [0.5, 0.5],
      [0.25, 0.75],
    ]);
    expect(h).toBeInstanceOf(Float64Array);
    expectClose(h, [Math.log(2), -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75))]);
  });

  it('requires probabilities', () => {
    expect(() => entropy([0.5, 1.5])).toThrow('entropy: p[1] must be a probability in [0, 1], got 1.5');
  });

  it('has gradient -ln p - 1, shaped like p, per row for a batch', () => {
    expect(entropy.grad([0.25, 0.75])).toEqual([-Math.log(0.25) - 1, -Math.log(0.75) - 1]);
    const batch = entropy.valueAndGrad([
      [0.5, 0.5],
      [0.2, 0.8],
    ]);
    expectClose(batch.value, [Math.log(2), -(0.2 * Math.log(0.2) + 0.8 * Math.log(0.8))]);
    expect(batch.grad).toEqual([
      [-Math.log(0.5) - 1, -Math.log(0.5) - 1],
      [-Math.log(0.2) - 1, -Math.log(0.8) - 1],
    ]);
    const t = entropy.grad({ data: new Float64Array([0.1, 0.9]), shape: [1, 2] });
    expect(t.shape).toEqual([1, 2]);
  });

  it('matches a central finite difference of its value', () => {
    const p = [0.1, 0.2, 0.7];
    const g = entropy.grad(p);
    for (let j = 0; j < p.length; j++) {
      const h = 1e-6;
      const up = p.slice();
      const down = p.slice();
      up[j]! += h;
      down[j]! -= h;
      expectClose(g[j], (entropy(up) - entropy(down)) / (2 * h), 1e-8);
    }
  });

  it('throws for the gradient at p = 0, where the slope is infinite, but not for the value', () => {
    expect(entropy([0, 1])).toBe(0);
    expect(() => entropy.grad([0, 1])).toThrow('entropy.grad: p[0] must be positive (the slope -ln p - 1 is infinite at 0), got 0');
    expect(Number.isFinite(entropy.grad([5e-324, 1])[0])).toBe(true);
  });
});
