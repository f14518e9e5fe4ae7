import { describe, expect, it } from 'vitest';
import { logCosh } from '../../src';
import { logCoshSlope, logCoshTerm } from '../../src/core/losses/logCosh';
import { decompose, expFixedSmall, type Exact, LN2, logFixed, ONE, P, roundDiv, roundFixed, ulpError } from '../../tools/generate/tables/exactReference';
import { expectClose } from '../helpers/close';
import { uniform } from '../math/ulp';

describe('logCosh', () => {
  it('is the mean of log cosh(x - y)', () => {
    expectClose(logCosh([0, 0], [1, -2]), (Math.log(Math.cosh(1)) + Math.log(Math.cosh(2))) / 2);
    expectClose(logCosh([3, 0.5], [1, 0], { reduction: 'none' }), [Math.log(Math.cosh(2)), Math.log(Math.cosh(0.5))]);
    expectClose(logCosh([3, 0.5], [1, 0], { reduction: 'sum' }), Math.log(Math.cosh(2)) + Math.log(Math.cosh(0.5)));
  });

  it('keeps every digit for small differences (d²/2 - d⁴/12) and does not overflow for large ones', () => {
    const d = 1e-4;
    expectClose(logCosh([d], [0]), (d * d) / 2 - d ** 4 / 12, 1e-14);
    expect(logCosh([1e-9], [0])).toBeGreaterThan(0);
    expectClose(logCosh([1000], [0]), 1000 - Math.LN2, 1e-15);
  });

  it('has gradient tanh(x - y), over n for mean', () => {
    expectClose(logCosh.grad([0, 2], [1, -1]), [Math.tanh(-1) / 2, Math.tanh(3) / 2]);
    expect(logCosh.grad([1e6], [0], { reduction: 'sum' })).toEqual([1]);
  });

  it('gives value and gradient in one pass', () => {
    const vg = logCosh.valueAndGrad([0.5, -3], [0, 0]);
    expectClose(vg.value, logCosh([0.5, -3], [0, 0]));
    expectClose(vg.grad, logCosh.grad([0.5, -3], [0, 0]));
  });

  it('rejects mismatched shapes and unknown options', () => {
    expect(() => logCosh([1, 2], [1])).toThrow('logCosh: target must be of shape [2] like input, got shape [1]');
    expect(() => logCosh([1], [1], { delta: 1 } as never)).toThrow('logCosh: option "delta" must be one of reduction, got an unknown option');
  });
});

/**
 * log cosh d and tanh d exactly, in the BigInt fixed point of tools/generate/tables/exactReference.ts
 * (320 fractional bits; no floating point but the final rounding): for d <= 1 from e^±d, log(1 +
 * (cosh d - 1)) and (e^d - e^-d) / (e^d + e^-d); above, d - ln 2 + log(1 + e^-2d) and
 * 1 - 2e^-2d / (1 + e^-2d), e^-2d = e^y 2^-k (y = k ln 2 - 2d, |y| <= ln 2 / 2). For d >= 2^-60
 * the results (>= 2^-121) carry ~200 correct bits.
 */
function exactLogCosh(d: number): { term: Exact; slope: Exact } {
  const D = toFixed(d);
  if (d <= 1) {
    const ep = expFixedSmall(D);
    const em = expFixedSmall(-D);
    return { term: toExact(logFixed(ONE + (ep + em) / 2n - ONE)), slope: toExact(roundDiv((ep - em) * ONE, ep + em)) };
  }
  const k = roundDiv(2n * D, LN2);
  const e = expFixedSmall(k * LN2 - 2n * D) >> k;
  return { term: toExact(D - LN2 + logFixed(ONE + e)), slope: toExact(ONE - roundDiv(2n * e * ONE, ONE + e)) };
}

/** A double with no bits below 2^-320, in that fixed point. */
function toFixed(x: number): bigint {
  const { mantissa, exponent } = decompose(x);
  return mantissa << BigInt(exponent + Number(P));
}

/** A fixed-point value as hi + lo (hi correctly rounded). */
function toExact(v: bigint): Exact {
  const hi = roundFixed(v);
  return { hi, lo: roundFixed(v - toFixed(hi)) };
}

function* sweep(n: number, lo: number, hi: number, seed: number): Generator<number> {
  const u = uniform(seed);
  for (let i = 0; i < n; i++) yield lo + (hi - lo) * u();
}
function* logSweep(n: number, lo: number, hi: number, seed: number): Generator<number> {
  for (const t of sweep(n, Math.log2(lo), Math.log2(hi), seed)) yield 2 ** t;
}
/** x 2^n in steps that stay normal until the last (one rounding into the subnormals at most). */
function scaled(x: number, n: number): number {
  for (; n < -500; n += 500) x *= 2 ** -500;
  return x * 2 ** n;
}
const around = (x: number, n: number) => Array.from({ length: 2 * n + 1 }, (_, i) => x * (1 + (i - n) * 2 ** -52));

describe('logCosh per element, against the exact BigInt log cosh and tanh', () => {
  const ds = [
    ...logSweep(1500, 2 ** -60, 800, 21),
    ...sweep(1000, 0, 1, 22),
    ...sweep(300, 0.7, 0.9, 23),
    ...sweep(300, 0.1, 0.15, 24),
    ...sweep(200, 0.25, 0.35, 25),
    ...sweep(300, 1, 30, 26),
    ...sweep(100, 340, 800, 27),
    ...[0.125, 0.3, 0.8, 1, 354].flatMap((x) => around(x, 3)),
  ];
  const exact = ds.map((d) => ({ d, ...exactLogCosh(d) }));
  const worst = (f: (d: number) => number, pick: 'term' | 'slope') => {
    let w = { ulps: 0, rel: 0, at: NaN };
    for (const e of exact) {
      const y = f(e.d);
      const x = e[pick];
      const rel = Math.abs(y - x.hi - x.lo) / Math.abs(x.hi);
      const ulps = ulpError(y, x);
      if (ulps > w.ulps) w = { ulps, rel: Math.max(rel, w.rel), at: e.d };
      else w.rel = Math.max(rel, w.rel);
    }
    return w;
  };

  it('gives log cosh |d| within 3.5 ulp and 2^-51 relative (series, log1p(v²/2E), |d| - ln 2 + log1p(e^-2|d|))', () => {
    const w = worst(logCoshTerm, 'term');
    expect(w.ulps, `at d = ${w.at}`).toBeLessThan(3.5);
    expect(w.rel).toBeLessThanOrEqual(2 ** -51);
  });

  it('gives tanh |d| within 2.5 ulp and 2^-51 relative', () => {
    const w = worst(logCoshSlope, 'slope');
    expect(w.ulps, `at d = ${w.at}`).toBeLessThan(2.5);
    expect(w.rel).toBeLessThanOrEqual(2 ** -51);
  });

  it('gives d²/2 (exact in BigInt, d⁴/12 below 2^-120 of it) and tanh d = d for tiny d, through the subnormals', () => {
    for (const d of logSweep(3000, 1e-300, 2 ** -60, 28)) {
      const { mantissa, exponent } = decompose(d);
      const sq = mantissa * mantissa;
      const hi = scaled(Number(sq), 2 * exponent - 1);
      const term = logCoshTerm(d);
      if (hi >= 2 ** -1022) expect(ulpError(term, { hi, lo: scaled(Number(sq - BigInt(Number(sq))), 2 * exponent - 1) }), `d = ${d}`).toBeLessThanOrEqual(0.5);
      else expect(Math.abs(term - hi), `d = ${d}`).toBeLessThanOrEqual(2 ** -1074);
      // tanh d = d (1 - d²/3 + ...) rounds to d below 2^-27
      expect(logCoshSlope(d)).toBe(d);
    }
  });

  it('has a gradient of +0 at d = 0, odd in d, and a value even in d', () => {
    expect(Object.is(logCosh.grad([2], [2])[0], 0)).toBe(true);
    expect(Object.is(logCosh.grad([-0], [0])[0], 0)).toBe(true);
    expect(Object.is(logCosh([0], [0]), 0)).toBe(true);
    const xs = [...sweep(200, -40, 40, 29)];
    const g = logCosh.grad(
      xs,
      xs.map(() => 0),
      { reduction: 'sum' },
    );
    const gm = logCosh.grad(
      xs.map((x) => -x),
      xs.map(() => 0),
      { reduction: 'sum' },
    );
    expect(gm).toEqual(g.map((v) => -v));
    expect(g.every((v, i) => Math.sign(v) === Math.sign(xs[i]!))).toBe(true);
    expect(
      logCosh(
        xs.map((x) => -x),
        xs.map(() => 0),
        { reduction: 'none' },
      ),
    ).toEqual(
      logCosh(
        xs,
        xs.map(() => 0),
        { reduction: 'none' },
      ),
    );
  });
});
