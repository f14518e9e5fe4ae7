/**
 * Distances between doubles in ulps, and seeded sample points, for the accuracy tests of fastExp and fastLog.
 * `ulpDistance(a, b)` counts the steps from a to b through adjacent doubles (0 when a === b, 1 for
 * neighbours, ±0 the same double); NaN is at distance 0 from NaN and Infinity from anything else.
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = (() => {
  f64[0] = 1;
  return u32[1] === 0x3ff00000 ? 1 : 0;
})();
const LO = 1 - HI;

/** x's place in the ordered doubles as [high, low] 32-bit parts of a signed 64-bit ordinal (exact for |diff| < 2^53). */
function ordinalParts(x: number): [number, number] {
  f64[0] = x;
  const hi = u32[HI]! & 0x7fffffff;
  const lo = u32[LO]!;
  return x < 0 || Object.is(x, -0) ? [-hi, -lo] : [hi, lo];
}

export function ulpDistance(a: number, b: number): number {
  if (a !== a || b !== b) return a !== a && b !== b ? 0 : Infinity;
  if (a === b) return 0;
  const [ah, al] = ordinalParts(a);
  const [bh, bl] = ordinalParts(b);
  return Math.abs((ah - bh) * 4294967296 + (al - bl));
}

/** A seeded stream of doubles in [0, 1) with 53 random bits (a 32-bit LCG, two draws each): the sweeps' points. */
export function uniform(seed: number): () => number {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
  return () => (next() * 2 ** 21 + (next() >>> 11)) / 2 ** 53;
}
