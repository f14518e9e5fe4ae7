import { LN2_HI, LN2_LO, LOGC_HI, LOGC_LO } from './elementaryTables';
import { powersOfTwo } from './fastExp';

/**
 * Table-driven log and log1p in pure arithmetic plus one read of the argument's high 32 bits
 * (its exponent) through a shared Float64Array / Uint32Array view. The core, fastLogNormal,
 * has no branch and no call, so V8 inlines it into the loss loops. Tables and constants are
 * copied into this module's own bindings (see fastExp).
 */

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
/** Index of the high word in U32 (1 on little-endian platforms, which are all of them in practice). */
const W = highWordIndex();

function highWordIndex(): number {
  F64[0] = 1;
  return U32[1] === 0x3ff00000 ? 1 : 0;
}

/** Where the log(c_i) pairs start in TABLE. */
const LOGC_AT = 2048;
/**
 * [0, 2047): powers of two (see powersOfTwo, 2^e at e + 1023), 2^-1024 at 2047; then log(c_i) as
 * hi, lo at 2048 + 2i, 2049 + 2i, c_i = 1 + (i - 64) / 128.
 */
const TABLE = logTable();

function logTable(): Float64Array {
  const t = powersOfTwo(new Float64Array(LOGC_AT + 2 * LOGC_HI.length));
  // fastLogNormal reads 2^-e at (1023 - e) & 2047: e = 1024 (a >= 2^1023 √2) wraps to 2047
  t[2047] = t[0]! / 2;
  for (let i = 0; i < LOGC_HI.length; i++) {
    t[LOGC_AT + 2 * i] = LOGC_HI[i]!;
    t[LOGC_AT + 2 * i + 1] = LOGC_LO[i]!;
  }
  return t;
}

const L2HI = LN2_HI;
const L2LO = LN2_LO;
/** 1.5 * 2^52, for rounding to an integer (see fastExp). */
const SHIFT = 6755399441055744;
/** High word of ~√2/2: a = 2^e m with m in [0.7071067, 1.4142135) has e = (hi(a) - OFF) >> 20. */
const OFF = 0x3fe6a09e;
/** The smallest positive normal double, 2^-1022. */
export const MIN_NORMAL = 2.2250738585072014e-308;
const MAX_VALUE = 1.7976931348623157e308;

/**
 * $\ln(a + t)$ for a positive normal finite $a$ and $|t| \le \mathrm{ulp}(a)$ (a double-double;
 * $t = 0$ for a plain log), to within one ulp (0.5 near 1). No branch and no call; any other $a$
 * (0, subnormal, negative, Infinity) gives an unspecified number, NaN gives NaN. With N = 128:
 *
 * $$a = 2^e m,\ m \in [\tfrac{\sqrt2}{2}, \sqrt2);\quad c = 1 + \tfrac{i}{N} \text{ nearest } m;\quad
 * \ln(a + t) = e\ln 2 + \ln c + \mathrm{log1p}(r),\ r = \frac{(m - c) + t\,2^{-e}}{c},\ |r| \lesssim \frac{2^{-8}}{c},$$
 *
 * $e$ read from the exponent bits, $m - c$ exact (Sterbenz), $\ln 2$ and $\ln c$ (a table) as
 * hi + lo pairs whose hi parts sum exactly: $w = e\,\ln2_{hi} + (\ln c)_{hi}$, then $hi + lo = w + r$
 * (Fast2Sum: $|w| \ge |r|$ or $w = 0$) and the result is
 * $hi + (lo + e\,\ln2_{lo} + (\ln c)_{lo} + p(r))$, $p(r) = -r^2/2 + r^3/3 - \dots + r^7/7 \approx \mathrm{log1p}(r) - r$.
 * Near 1, $c = 1$ and $r = a - 1$ exactly, so the result is relatively accurate there too.
 */
export function fastLogNormal(a: number, t: number): number {
  F64[0] = a;
  const e = (U32[W]! - OFF) >> 20;
  const sc = TABLE[(1023 - e) & 2047]!;
  const f = a * sc - 1;
  const id = f * 128 + SHIFT - SHIFT;
  const i = LOGC_AT + 2 * (((id | 0) + 64) & 127);
  const r = (f - id * 0.0078125 + t * sc) / (1 + id * 0.0078125);
  const w = e * L2HI + TABLE[i]!;
  const hi = w + r;
  const lo = w - hi + r;
  const r2 = r * r;
  const p = r2 * (-0.5 + r * (1 / 3) + r2 * (-0.25 + r * 0.2 + r2 * (-1 / 6 + r * (1 / 7))));
  return hi + (lo + (e * L2LO + TABLE[i + 1]!) + p);
}

/** Where fastLogSplit leaves the tail of its result. */
export const LOG_TAIL = new Float64Array(1);

/**
 * $\ln a$ as a sum hi + LOG_TAIL[0] left unrounded, for a positive normal finite $a$: fastLogNormal(a, 0)'s
 * steps, returning its hi and leaving its $lo + e\,\ln2_{lo} + (\ln c)_{lo} + p(r)$ in LOG_TAIL,
 * so the pair is within about $2^{-60}$ of $\ln a$ absolutely (the rounding of $r$, $|r| \lesssim 2^{-8}$,
 * and the series' truncation; tested against double-double logs), where hi + tail rounded keeps
 * $2^{-53}$ relative. For a difference $x - \ln a$ that cancels (poissonNllLoss's $e^x - y$).
 */
export function fastLogSplit(a: number): number {
  F64[0] = a;
  const e = (U32[W]! - OFF) >> 20;
  const sc = TABLE[(1023 - e) & 2047]!;
  const f = a * sc - 1;
  const id = f * 128 + SHIFT - SHIFT;
  const i = LOGC_AT + 2 * (((id | 0) + 64) & 127);
  const r = (f - id * 0.0078125) / (1 + id * 0.0078125);
  const w = e * L2HI + TABLE[i]!;
  const hi = w + r;
  const lo = w - hi + r;
  const r2 = r * r;
  const p = r2 * (-0.5 + r * (1 / 3) + r2 * (-0.25 + r * 0.2 + r2 * (-1 / 6 + r * (1 / 7))));
  LOG_TAIL[0] = lo + (e * L2LO + TABLE[i + 1]!) + p;
  return hi;
}

/**
 * $\ln x$ to within one ulp (Math.log: < 1 ulp), and no call in the common case (somewhat faster
 * than Math.log in V8's loops): fastLogNormal(x, 0) for
 * positive normal finite x; Math.log for the rest (0 → -Infinity, negative → NaN, Infinity,
 * NaN, subnormals).
 */
export function fastLog(x: number): number {
  return x >= MIN_NORMAL && x <= MAX_VALUE ? fastLogNormal(x, 0) : Math.log(x);
}

/**
 * $\mathrm{log1p}(x) = \ln(1 + x)$ to within one ulp: $1 + x = u + t$ exactly (TwoSum), then
 * fastLogNormal(u, t); for tiny x the result is x. ±0, -1 (→ -Infinity), x < -1 (→ NaN),
 * Infinity and NaN are Math.log1p's.
 */
export function fastLog1p(x: number): number {
  if (!(x > -1 && x <= MAX_VALUE) || x === 0) return Math.log1p(x);
  const u = 1 + x;
  const b = u - 1;
  return fastLogNormal(u, 1 - (u - b) + (x - b));
}
