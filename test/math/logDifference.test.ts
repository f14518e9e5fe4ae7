import { describe, expect, it } from 'vitest';
import { logDifference } from '../../src/core/math/logDifference';
import { logExact } from '../../tools/generate/tables/exactReference';
import { uniform } from './ulp';

/** x - ln y from the exact log (BigInt, 320 bits): x - hi by TwoSum, then the rest. */
function exactDifference(x: number, y: number): number {
  const l = logExact(y);
  const s = x - l.hi;
  const b = s - x;
  const e = x - (s - b) + (-l.hi - b);
  return s + (e - l.lo);
}

describe('logDifference', () => {
  it('gives x - ln y within 2^-52 relative down to |x - ln y| = 2^-40, on both of its paths', () => {
    const u = uniform(21);
    let worst = 0;
    let near = 0;
    for (let k = 0; k < 20000; k++) {
      const y = k % 4 === 0 ? (1 + (u() - 0.5) * 2 ** -(40 * u())) / Math.E : 2 ** (200 * (u() - 0.5)) * (1 + u());
      // x within 2^-40 .. 1 of ln y, on either side; exactly -1 for y near 1/e (entropy's case). Closer,
      // ddLog's 2^-100 is the limit: x - ln y = 2^-60 comes out within 2^-40 relative
      const x = k % 4 === 0 ? -1 : Math.log(y) + (u() < 0.5 ? -1 : 1) * 2 ** -(40 * u());
      const want = exactDifference(x, y);
      if (want === 0) continue;
      if (Math.abs(want) < 1 / 32) near++;
      worst = Math.max(worst, Math.abs(logDifference(x, y) - want) / Math.abs(want));
    }
    expect(near).toBeGreaterThan(1000);
    expect(worst).toBeLessThan(2 ** -52);
  });

  it('takes subnormal y by double-double', () => {
    const y = 1e-310;
    expect(Math.abs(logDifference(-713.8, y) - exactDifference(-713.8, y))).toBeLessThan(2 ** -52 * Math.abs(exactDifference(-713.8, y)));
  });
});
