import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expm1Unchecked, expUnchecked, fastExp } from '../../src/core/math/fastExp';
import { expExact, ulpError } from '../../tools/generate/tables/exactReference';
import { ulpDistance, uniform } from './ulp';

/** The largest ulp distance of fastExp from Math.exp over xs, and where. */
function worstVsMathExp(xs: Iterable<number>): { ulps: number; at: number } {
  let worst = { ulps: 0, at: NaN };
  for (const x of xs) {
    const d = ulpDistance(fastExp(x), Math.exp(x));
    if (d > worst.ulps) worst = { ulps: d, at: x };
  }
  return worst;
}

function* sweep(n: number, lo: number, hi: number, seed: number): Generator<number> {
  const u = uniform(seed);
  for (let i = 0; i < n; i++) yield lo + (hi - lo) * u();
}

describe('fastExp', () => {
  it('is within 2 ulp of Math.exp for any double fast-check draws (NaN, ±Infinity, ±0, subnormals, extremes)', () => {
    fc.assert(
      fc.property(fc.double(), (x) => ulpDistance(fastExp(x), Math.exp(x)) <= 2),
      { numRuns: 20000 },
    );
  });

  it('is within 2 ulp of Math.exp near 0, at integers, near overflow and through the subnormal results', () => {
    const near = (min: number, max: number) => fc.double({ min, max, noNaN: true });
    for (const arb of [near(-1e-6, 1e-6), near(-1e-300, 1e-300), near(700, 710), near(-746, -700), near(-1, 1), fc.integer({ min: -750, max: 710 })]) {
      fc.assert(
        fc.property(arb, (x) => ulpDistance(fastExp(x), Math.exp(x)) <= 2),
        { numRuns: 5000 },
      );
    }
  });

  it('is within 2 ulp of Math.exp on a dense seeded sweep of 1e6 points over [-746, 710]', () => {
    expect(worstVsMathExp(sweep(1e6, -746, 710, 1)).ulps).toBeLessThanOrEqual(2);
  });

  it('is within 0.52 ulp of the exact exp (BigInt, 320 bits) where the result is normal', () => {
    const xs = [...sweep(3000, -708, 709.7, 2), ...sweep(2000, -1, 1, 3), ...sweep(1000, -(2 ** -20), 2 ** -20, 4)];
    let worst = 0;
    for (const x of xs) worst = Math.max(worst, ulpError(fastExp(x), expExact(x)));
    expect(worst).toBeLessThan(0.52);
  });

  it('gives the edges exactly as Math.exp does', () => {
    const edges = [
      NaN,
      Infinity,
      -Infinity,
      0,
      -0,
      5e-324,
      -5e-324,
      1e-300,
      709.782712893384,
      709.7827128933841,
      710,
      1e308,
      -708.3964185322641,
      -708.4,
      -709,
      -745.1332191019411,
      -745.1332191019412,
      -746,
      -1e308,
    ];
    for (const x of edges) expect(Object.is(fastExp(x), Math.exp(x)), `fastExp(${x})`).toBe(true);
    expect(fastExp(0)).toBe(1);
    expect(fastExp(-0)).toBe(1);
  });

  it('expUnchecked gives fastExp bits for every exponent in [-709.08, 709.78]', () => {
    const xs = [...sweep(200000, -709.08, 709.78, 5), ...sweep(200000, -20, 0, 6), ...sweep(100000, -709.08, -690, 7), -709.08, -708.39, 0, -0, 709.78];
    for (const x of xs) {
      if (!Object.is(expUnchecked(x), fastExp(x))) expect.fail(`expUnchecked(${x}) = ${expUnchecked(x)}, fastExp ${fastExp(x)}`);
    }
  });
});

/**
 * e^z - 1 exactly (a double-double) from the BigInt e^z = hi + lo: TwoSum(hi, -1), then lo added;
 * below |z| = 2^-40, where hi + lo holds e^z - 1 to only ~2^-66 relative, the series z + z^2/2
 * (the next term is below 2^-80 of the result).
 */
function expm1Exact(z: number): { hi: number; lo: number } {
  if (Math.abs(z) < 2 ** -40) return { hi: z, lo: (z * z) / 2 };
  const e = expExact(z);
  const s = e.hi - 1;
  const bb = s - e.hi;
  const err = e.hi - (s - bb) + (-1 - bb) + e.lo;
  const hi = s + err;
  return { hi, lo: err - (hi - s) };
}

describe('expm1Unchecked', () => {
  /** The largest error of expm1Unchecked in ulps of the exact e^z - 1 over zs, and where. */
  function worstVsExact(zs: Iterable<number>): { ulps: number; at: number } {
    let worst = { ulps: 0, at: NaN };
    for (const z of zs) {
      const e = ulpError(expm1Unchecked(z), expm1Exact(z));
      if (e > worst.ulps) worst = { ulps: e, at: z };
    }
    return worst;
  }
  const logSweep = function* (n: number, lo: number, hi: number, seed: number): Generator<number> {
    for (const t of sweep(n, Math.log2(lo), Math.log2(hi), seed)) yield -(2 ** t);
  };

  it('is within 0.6 ulp of the exact e^z - 1 (BigInt, 320 bits) over [-708, 0]', () => {
    const zs = [...sweep(4000, -708, 0, 11), ...sweep(4000, -1, 0, 12), ...logSweep(4000, 2 ** -60, 708, 13)];
    const w = worstVsExact(zs);
    expect(w.ulps, `at z = ${w.at}`).toBeLessThan(0.6);
  });

  it('keeps full relative precision near 0: within 0.6 ulp for |z| < 0.01 (k = 0 and the first table steps)', () => {
    const zs = [...sweep(6000, -0.01, 0, 14), ...sweep(3000, -Math.LN2 / 128, -Math.LN2 / 512, 15), ...logSweep(3000, 1e-300, 0.01, 16)];
    const w = worstVsExact(zs);
    expect(w.ulps, `at z = ${w.at}`).toBeLessThan(0.6);
  });

  it('is within 1 ulp of Math.expm1 on a dense seeded sweep, and 0 at ±0', () => {
    for (const z of [...sweep(200000, -708, 0, 17), ...sweep(200000, -2, 0, 18)]) {
      if (ulpDistance(expm1Unchecked(z), Math.expm1(z)) > 1) expect.fail(`expm1Unchecked(${z}) = ${expm1Unchecked(z)}, Math.expm1 ${Math.expm1(z)}`);
    }
    expect(Object.is(expm1Unchecked(0), 0)).toBe(true);
    expect(Object.is(expm1Unchecked(-0), 0)).toBe(true);
  });
});
