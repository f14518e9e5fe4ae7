/**
 * Exact references for exp and log, in BigInt fixed point with P = 320 fractional bits (no
 * floating point anywhere but the final, correctly rounded conversions): the error of every
 * value here is a few units of 2^-320, far below a double's rounding. Used to generate the
 * tables of src/core/math/elementaryTables.ts (see generateElementaryTables.ts) and by the accuracy tests
 * to measure fastExp / fastLog in fractions of an ulp of the exact result.
 */

const P = 320n;
const ONE = 1n << P;

/** round(a / b) for b > 0, ties away from zero. */
function roundDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  const r = a - q * b;
  if (2n * (r < 0n ? -r : r) >= b) return r < 0n ? q - 1n : q + 1n;
  return q;
}

/** floor(a / b) for b > 0. */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return q * b > a ? q - 1n : q;
}

/** a * b in fixed point (truncated toward zero, so series terms reach 0). */
const mul = (a: bigint, b: bigint) => (a * b) / ONE;

/** atanh(z) = z + z^3/3 + z^5/5 + ... for fixed-point |z| <= 1/2. */
function atanhFixed(z: bigint): bigint {
  const z2 = mul(z, z);
  let power = z;
  let sum = 0n;
  for (let k = 1n; power !== 0n; k += 2n) {
    sum += power / k;
    power = mul(power, z2);
  }
  return sum;
}

/** ln 2 = 2 atanh(1/3), fixed point. */
export const LN2 = 2n * atanhFixed(ONE / 3n);

/** exp(y) = sum y^k / k! for fixed-point |y| <= 1. */
function expFixed(y: bigint): bigint {
  let term = ONE;
  let sum = ONE;
  for (let k = 1n; term !== 0n; k++) {
    term = mul(term, y) / k;
    sum += term;
  }
  return sum;
}

/** log(m) = 2 atanh((m - 1) / (m + 1)) for fixed-point m in [1/2, 2]. */
function logFixedNear1(m: bigint): bigint {
  return 2n * atanhFixed(((m - ONE) << P) / (m + ONE));
}

/** The exact value of a finite double: mantissa * 2^exponent with an integer mantissa. */
export function decompose(x: number): { mantissa: bigint; exponent: number } {
  if (x === 0 || !Number.isFinite(x)) throw new Error(`decompose(${x})`);
  let e = 0;
  let m = x;
  // scale to an integer: at most 1074 + 52 doublings, each exact
  while (!Number.isInteger(m)) {
    m *= 2;
    e--;
  }
  while (Math.abs(m) >= 2 ** 53) {
    m /= 2;
    e++;
  }
  return { mantissa: BigInt(m), exponent: e };
}

/** x as fixed point; throws when x has bits below 2^-P. */
function toFixed(x: number): bigint {
  if (x === 0) return 0n;
  const { mantissa, exponent } = decompose(x);
  const shift = BigInt(exponent) + P;
  if (shift < 0n) throw new Error(`toFixed: ${x} has bits below 2^-${P}`);
  return mantissa << shift;
}

/** 2^n as a double, for any n in the double's range (products of exact powers). */
export function pow2(n: number): number {
  let v = 1;
  while (n > 0) {
    const s = Math.min(n, 1000);
    v *= 2 ** s;
    n -= s;
  }
  while (n < 0) {
    const s = Math.min(-n, 1000);
    v *= 2 ** -s;
    n += s;
  }
  return v;
}

/** A double-double: hi = the correctly rounded value, lo = RN(exact - hi). */
export interface Exact {
  hi: number;
  lo: number;
}

/** The exact value V * 2^(scale - P) as a double-double (hi correctly rounded, ties to even); V != 0, normal result. */
function toExact(v: bigint, scale: number): Exact {
  const hiInt = Number(v); // ECMAScript: the Number nearest to v, ties to even
  const rest = v - BigInt(hiInt);
  const s = (u: number) => pow2(scale) * (u * pow2(-Number(P)));
  return { hi: s(hiInt), lo: s(Number(rest)) };
}

/** The correctly rounded double nearest fixed-point v, scaled by 2^scale. */
export function roundFixed(v: bigint, scale = 0): number {
  return v === 0n ? 0 : toExact(v, scale).hi;
}

/** exp(x) exactly (as a double-double), for finite x with bits no finer than 2^-320 and a normal result. */
export function expExact(x: number): Exact {
  const X = toFixed(x);
  const k = floorDiv(2n * X + LN2, 2n * LN2); // nearest integer to x / ln 2
  const y = X - k * LN2; // |y| <= ln2 / 2
  return toExact(expFixed(y), Number(k));
}

/** log(x) for a positive finite double x != 1, as a double-double. */
export function logExact(x: number): Exact {
  const { mantissa, exponent } = decompose(x);
  return logOfFixedScaled(mantissa, exponent);
}

/** log1p(x) = log(1 + x) for a finite double x > -1, x != 0 (|x| >= 2^-260), as a double-double. */
export function log1pExact(x: number): Exact {
  const { mantissa, exponent } = decompose(x);
  // 1 + x = (2^-exponent + mantissa) * 2^exponent exactly (exponent < 0), or an integer
  if (exponent >= 0) return logOfFixedScaled((mantissa << BigInt(exponent)) + 1n, 0);
  return logOfFixedScaled((1n << BigInt(-exponent)) + mantissa, exponent);
}

/** log(n * 2^exponent) for a positive BigInt n. */
function logOfFixedScaled(n: bigint, exponent: number): Exact {
  if (n <= 0n) throw new Error('log of a non-positive number');
  // n = m * 2^b with m in [0.75, 1.5): m fixed = n << (P - b)
  const bits = n.toString(2).length;
  let b = bits;
  let m = shiftLeft(n, P - BigInt(b));
  if (m < (3n * ONE) / 4n) {
    b--;
    m = shiftLeft(n, P - BigInt(b));
  }
  const e = BigInt(b + exponent);
  const l = e * LN2 + logFixedNear1(m);
  if (l === 0n) return { hi: 0, lo: 0 };
  return toExact(l, 0);
}

const shiftLeft = (n: bigint, s: bigint) => (s >= 0n ? n << s : n >> -s);

/** log(c) in fixed point, for c a fixed-point value in [1/2, 2]. */
export function logFixed(c: bigint): bigint {
  return logFixedNear1(c);
}

/** exp(y) in fixed point for a fixed-point |y| <= 1. */
export function expFixedSmall(y: bigint): bigint {
  return expFixed(y);
}

export { ONE, P, roundDiv };

/** The ulp of a nonzero finite double's binade: 2^(floor(log2|v|) - 52), at least 2^-1074. */
export function ulpOf(v: number): number {
  const a = Math.abs(v);
  if (a < 2 ** -1022) return 2 ** -1074;
  let e = Math.floor(Math.log2(a));
  // Math.log2 may be off by one at binade edges: fix e so 2^e <= a < 2^(e+1)
  if (pow2(e) > a) e--;
  else if (pow2(e + 1) <= a) e++;
  return pow2(e - 52);
}

/** |y - exact| in ulps of the exact value (fractional). */
export function ulpError(y: number, exact: Exact): number {
  const diff = y - exact.hi - exact.lo; // y - hi is exact when y is within a few ulps of hi
  const exactValue = exact.hi + exact.lo;
  // the ulp of the exact value: below hi when hi is a power of two and lo < 0
  const u = ulpOf(exact.lo < 0 && isPowerOfTwo(exact.hi) ? exact.hi * (1 - 2 ** -53) : exactValue);
  return Math.abs(diff) / u;
}

function isPowerOfTwo(v: number): boolean {
  const a = Math.abs(v);
  return a > 0 && pow2(Math.round(Math.log2(a))) === a;
}
