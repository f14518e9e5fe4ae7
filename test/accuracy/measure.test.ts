import { describe, expect, it } from 'vitest';
import { elementError, generate, quantityError, scrambleInts, TINY_ABS, worse } from '../../src/node/accuracy';

describe('the error measure', () => {
  it('is relative where the exact result is normal, measured against hi + lo below one ulp', () => {
    // exact = 1 + 2^-60: the float64 1 is off by 2^-60 relative, and 1 + 2^-52 by about 2^-52
    expect(elementError(1, 1, 2 ** -60).error).toBe(2 ** -60);
    expect(elementError(1 + 2 ** -52, 1, 2 ** -60).error).toBeCloseTo(2 ** -52 - 2 ** -60, 30);
    expect(elementError(0, 4.2e-18, 0)).toEqual({ tiny: false, error: 1 });
  });

  it('is absolute where the exact result is 0 or subnormal', () => {
    expect(elementError(0, 5e-324, 0)).toEqual({ tiny: true, error: 5e-324 });
    expect(elementError(1e-300, 0, 0)).toEqual({ tiny: true, error: 1e-300 });
    expect(elementError(2 ** -1022, 0, 0).error).toBe(TINY_ABS);
  });

  it('gives NaN and infinite results an infinite error', () => {
    expect(elementError(NaN, 1, 0).error).toBe(Infinity);
    expect(elementError(Infinity, 1e308, 0).error).toBe(Infinity);
    expect(quantityError([NaN], [1], [0]).rel).toBe(Infinity);
  });

  it('takes the worst element of each kind and skips exact results beyond float64', () => {
    const q = quantityError([1, 0, 3e-310, 5], [1, 2, 0, null], [0, 0, 0, null]);
    expect(q).toEqual({ rel: 1, relAt: 1, tinyAbs: 3e-310, tinyAt: 2, normal: 2, tiny: 1 });
    expect(worse(q, { rel: 2, relAt: 0, tinyAbs: 0, tinyAt: -1, normal: 1, tiny: 0 })?.rel).toBe(2);
    expect(worse(null, q)).toBe(q);
  });
});

describe('the fixture formulas', () => {
  it('scramble integers below 2^53 the way the generator does', () => {
    // k_i = ((a (i mod m) + c) mod m)^2 + i) mod m, by hand for i = 0, 1
    const k = scrambleInts(2, 40503, 7, 1 << 24);
    expect(Array.from(k)).toEqual([49 % (1 << 24), ((40503 + 7) ** 2 + 1) % (1 << 24)]);
  });

  it('generate scrambled values, fills, labels and one-hot rows of the stated shape', () => {
    const s = generate({ formula: 'scramble', shape: [2, 3], a: 40503, c: 7, m: 1 << 24, lo: -1, span: 2 });
    expect(s.shape).toEqual([2, 3]);
    for (const v of s.data) expect(v >= -1 && v < 1).toBe(true);
    expect(Array.from(generate({ formula: 'fill', shape: [3], value: 0.1 }).data)).toEqual([0.1, 0.1, 0.1]);
    const l = generate({ formula: 'labels', shape: [100], a: 69069, c: 5, m: 1 << 24, classes: 4 });
    expect(l.integer).toBe(true);
    for (const v of l.data) expect([0, 1, 2, 3]).toContain(v);
    const h = generate({ formula: 'onehot', shape: [10, 4], a: 69069, c: 5, m: 1 << 24 });
    for (let r = 0; r < 10; r++) expect(h.data.subarray(r * 4, r * 4 + 4).reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('round to float32 when asked', () => {
    const g = generate({ formula: 'scramble', shape: [50], a: 40503, c: 7, m: 1 << 24, lo: -3, span: 6.1, float32: true });
    for (const v of g.data) expect(Math.fround(v)).toBe(v);
  });
});
