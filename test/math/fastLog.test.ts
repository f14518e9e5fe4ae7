import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastLog, fastLog1p, fastLogNormal, fastLogSplit, LOG_TAIL, MIN_NORMAL } from '../../src/core/math/fastLog';
import { log1pExact, logExact, ulpError } from '../../tools/generate/tables/exactReference';
import { ulpDistance, uniform } from './ulp';

/** n positive doubles log-uniform in [2^lo, 2^hi), seeded. */
function* logUniform(n: number, lo: number, hi: number, seed: number): Generator<number> {
  const u = uniform(seed);
  for (let i = 0; i < n; i++) yield 2 ** (lo + (hi - lo) * u()) * (1 + u());
}

function* linear(n: number, lo: number, hi: number, seed: number): Generator<number> {
  const u = uniform(seed);
  for (let i = 0; i < n; i++) yield lo + (hi - lo) * u();
}

function worst(xs: Iterable<number>, f: (x: number) => number, g: (x: number) => number): number {
  let w = 0;
  for (const x of xs) w = Math.max(w, ulpDistance(f(x), g(x)));
  return w;
}

describe('fastLog', () => {
  it('is within 2 ulp of Math.log for any double fast-check draws (0, negatives, NaN, Infinity, subnormals)', () => {
    fc.assert(
      fc.property(fc.double(), (x) => ulpDistance(fastLog(x), Math.log(x)) <= 2),
      { numRuns: 20000 },
    );
  });

  it('is within 2 ulp of Math.log near 1, on subnormals, on integers and up to the largest double', () => {
    const arbs = [
      fc.double({ min: 0.99, max: 1.01, noNaN: true }),
      fc.double({ min: 1 - 1e-9, max: 1 + 1e-9, noNaN: true }),
      fc.double({ min: 5e-324, max: 2.2250738585072014e-308, noNaN: true }),
      fc.double({ min: 1e300, max: 1.7976931348623157e308, noNaN: true }),
      fc.integer({ min: 1, max: 2 ** 31 - 1 }),
    ];
    for (const arb of arbs) {
      fc.assert(
        fc.property(arb, (x) => ulpDistance(fastLog(x), Math.log(x)) <= 2),
        { numRuns: 5000 },
      );
    }
  });

  it('is within 2 ulp of Math.log on a dense seeded sweep of 1e6 points over every binade', () => {
    expect(worst(logUniform(5e5, -1074, 1024, 1), fastLog, Math.log)).toBeLessThanOrEqual(2);
    expect(worst(linear(5e5, 0.5, 2, 2), fastLog, Math.log)).toBeLessThanOrEqual(2);
  });

  it('is within one ulp of the exact log (BigInt, 320 bits)', () => {
    const xs = [...logUniform(2000, -1022, 1023, 3), ...linear(2000, 0.7, 1.42, 4), ...linear(1000, 0.99, 1.01, 5), ...linear(500, 1 - 2 ** -20, 1 + 2 ** -20, 6)];
    let w = 0;
    for (const x of xs) if (x !== 1) w = Math.max(w, ulpError(fastLog(x), logExact(x)));
    expect(w).toBeLessThan(1);
  });

  it('gives the edges exactly as Math.log does, and log 1 = 0', () => {
    const edges = [NaN, Infinity, -Infinity, 0, -0, -1, -5e-324, 5e-324, 1e-310, MIN_NORMAL, 1.7976931348623157e308, 1, 2, 0.5];
    for (const x of edges) expect(Object.is(fastLog(x), Math.log(x)), `fastLog(${x})`).toBe(true);
  });
});

describe('fastLog1p', () => {
  it('is within 2 ulp of Math.log1p for any double fast-check draws', () => {
    fc.assert(
      fc.property(fc.double(), (x) => ulpDistance(fastLog1p(x), Math.log1p(x)) <= 2),
      { numRuns: 20000 },
    );
  });

  it('is within 2 ulp of Math.log1p on (-1, 1) and near 0, dense and seeded', () => {
    expect(worst(linear(5e5, -1, 1, 7), fastLog1p, Math.log1p)).toBeLessThanOrEqual(2);
    expect(worst(linear(2e5, -1e-10, 1e-10, 8), fastLog1p, Math.log1p)).toBeLessThanOrEqual(2);
  });

  it('is within one ulp of the exact log1p', () => {
    const xs = [...linear(2000, -0.999, 1, 9), ...linear(1000, -0.01, 0.01, 10), ...logUniform(1000, -60, 60, 11)];
    let w = 0;
    for (const x of xs) if (x !== 0) w = Math.max(w, ulpError(fastLog1p(x), log1pExact(x)));
    expect(w).toBeLessThan(1);
  });

  it('gives the edges exactly as Math.log1p does', () => {
    for (const x of [NaN, Infinity, -Infinity, 0, -0, -1, -2, 5e-324, -5e-324, 1e-300, 1.7976931348623157e308]) {
      expect(Object.is(fastLog1p(x), Math.log1p(x)), `fastLog1p(${x})`).toBe(true);
    }
  });
});

describe('fastLogNormal', () => {
  it('gives log(1 - p) from q = RN(1 - p) and its rounding error as log1p(-p) does, within one ulp of exact', () => {
    let w = 0;
    for (const p of [...linear(3000, 0, 1, 12), ...logUniform(2000, -60, -1, 13)]) {
      if (p === 0) continue;
      const q = 1 - p;
      const y = fastLogNormal(q, 1 - q - p);
      expect(ulpDistance(y, Math.log1p(-p)), `p = ${p}`).toBeLessThanOrEqual(2);
      w = Math.max(w, ulpError(y, log1pExact(-p)));
    }
    expect(w).toBeLessThan(1);
  });

  it('never throws and returns a number for arguments outside its domain', () => {
    for (const a of [0, -0, -1, 5e-324, 1e-310, Infinity, -Infinity, NaN]) expect(typeof fastLogNormal(a, 0)).toBe('number');
    expect(fastLogNormal(NaN, 0)).toBeNaN();
  });
});

describe('fastLogSplit', () => {
  it('gives fastLogNormal(a, 0) once its pair is rounded, and the pair within 2^-60 of the exact log (BigInt, 320 bits)', () => {
    const xs = [
      ...logUniform(20000, -1022, 1023, 11),
      ...linear(20000, 0.5, 2, 12),
      ...[...logUniform(5000, -40, -1, 13)].map((d) => 1 + d),
      1,
      2,
      MIN_NORMAL,
      1.7976931348623157e308,
    ];
    let w = 0;
    for (const a of xs) {
      const hi = fastLogSplit(a);
      const tail = LOG_TAIL[0]!;
      expect(hi + tail).toBe(fastLogNormal(a, 0));
      // (hi - exact.hi) is exact (Sterbenz) where they are close, which they are
      const exact = logExact(a);
      w = Math.max(w, Math.abs(hi - exact.hi + (tail - exact.lo)));
    }
    expect(w).toBeGreaterThan(0);
    expect(w).toBeLessThan(2 ** -60);
  });
});
