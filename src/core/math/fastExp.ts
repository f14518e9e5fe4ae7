import { EXP2_HI, EXP2_TAIL, INV_LN2_N, LN2N_HI, LN2N_LO } from './elementaryTables';

/**
 * Table-driven exp in pure arithmetic, without calls, so V8 inlines it into the loss loops
 * (Math.exp is a call into fdlibm, ~10-20 ns). The tables and constants are copied
 * into this module's own bindings: a table read through another module's export is a getter
 * call per element in CommonJS builds.
 */

/** Where the powers of two sit in a table built by powersOfTwo: index e + POW2_BIAS holds 2^e. */
export const POW2_BIAS = 1023;

/**
 * Fills `table[0, 2048)` with exact powers of two: `table[e + 1023] = 2^e` for e in [-1023, 1023]
 * (2^-1023 is subnormal) and `table[2047] = Infinity`; returns the table.
 */
export function powersOfTwo(table: Float64Array): Float64Array {
  let v = 1;
  for (let i = POW2_BIAS; i < 2048; i++, v *= 2) table[i] = v;
  v = 0.5;
  for (let i = POW2_BIAS - 1; i >= 0; i--, v *= 0.5) table[i] = v;
  return table;
}

/** Where the 2^(j/128) pairs start in TABLE. */
const EXP2_AT = 2048;
/** [0, 2048): powers of two; then 2^(j/128) as hi, relative tail at 2048 + 2j, 2049 + 2j. */
const TABLE = expTable();

function expTable(): Float64Array {
  const t = powersOfTwo(new Float64Array(EXP2_AT + 2 * EXP2_HI.length));
  for (let j = 0; j < EXP2_HI.length; j++) {
    t[EXP2_AT + 2 * j] = EXP2_HI[j]!;
    t[EXP2_AT + 2 * j + 1] = EXP2_TAIL[j]!;
  }
  return t;
}

const INV = INV_LN2_N;
const HI = LN2N_HI;
const LO = LN2N_LO;
/** 1.5 * 2^52: (z + SHIFT) - SHIFT is z rounded to an integer (ties to even) for |z| < 2^51. */
const SHIFT = 6755399441055744;

/**
 * $e^x$ to within 0.51 ulp (Math.exp: < 1 ulp) for every double; in V8's loops about 2-3 times
 * faster than Math.exp. With N = 128:
 *
 * $$x = \frac{k}{N}\ln 2 + r,\ |r| \le \frac{\ln 2}{2N};\qquad
 * e^x = 2^{\lfloor k/N \rfloor}\, 2^{j/N}\, e^r,\ j = k \bmod N,$$
 *
 * where $k = \mathrm{round}(x N/\ln 2)$, $r = x - k\,(\ln 2/N)_{hi} - k\,(\ln 2/N)_{lo}$ (Cody–Waite:
 * the first product is exact), $2^{j/N} = T_j(1 + \tau_j)$ from a table (value and relative tail),
 * and $e^r - 1 \approx r + r^2/2 + r^3/6 + r^4/24 + r^5/120$ (truncation below $2^{-60}$). The result is
 * $(s + s\,(\tau_j + e^r - 1))\, 2^{e_2}$ with $s = T_j 2^{e_1}$, $e_1 + e_2 = \lfloor k/N \rfloor$ split in
 * halves, so the one rounding into a subnormal result happens last.
 *
 * x is first clamped to [-746, 710]: beyond, the result is 0 or Infinity anyway. NaN gives NaN,
 * -Infinity 0, Infinity Infinity, and `fastExp(0) === 1` exactly.
 */
export function fastExp(x: number): number {
  const z = x < -746 ? -746 : x > 710 ? 710 : x;
  const kd = z * INV + SHIFT - SHIFT;
  const r = z - kd * HI - kd * LO;
  const k = kd | 0;
  const j = EXP2_AT + 2 * (k & 127);
  const e = k >> 7;
  const e1 = e >> 1;
  const s = TABLE[j]! * TABLE[e1 + POW2_BIAS]!;
  const r2 = r * r;
  const t = TABLE[j + 1]! + r + r2 * (0.5 + r * (1 / 6)) + r2 * r2 * (1 / 24 + r * (1 / 120));
  return (s + s * t) * TABLE[e - e1 + POW2_BIAS]!;
}

/**
 * fastExp without its clamp, the power of two applied in one step:
 * $e^z = (T_j + T_j(\tau_j + e^r - 1))\,2^{\lfloor k/N \rfloor}$, for loops that check a whole row's
 * range first. The same bits as fastExp for z in [-709.08, 709.78] (the scalings are exact or round
 * once, last, in both); elsewhere, for ±Infinity and NaN, an unspecified number (no exception).
 */
export function expUnchecked(z: number): number {
  const kd = z * INV + SHIFT - SHIFT;
  const r = z - kd * HI - kd * LO;
  const k = kd | 0;
  const j = EXP2_AT + 2 * (k & 127);
  const tj = TABLE[j]!;
  const r2 = r * r;
  const t = TABLE[j + 1]! + r + r2 * (0.5 + r * (1 / 6)) + r2 * r2 * (1 / 24 + r * (1 / 120));
  return (tj + tj * t) * TABLE[((k >> 7) + POW2_BIAS) & 2047]!;
}

/**
 * $e^z - 1$ for z in [-708, 0] to within 0.58 ulp (Math.expm1: 0.75), no call and no branch; from
 * the steps of expUnchecked ($k$, $j$, $r = r_h - r_l$ with $r_h = z - k\,(\ln 2/N)_{hi}$ exact and
 * $r_l = k\,(\ln 2/N)_{lo}$), then with $s = T_j\,2^{\lfloor k/N \rfloor}$ (exact) and
 * $c + c_l = s - 1$ (Fast2Sum, $c_l = 0$ for $s \ge \frac12$):
 *
 * $$e^z - 1 = (s - 1) + s\,(\tau_j + r + p) = c + r_h + \bigl(c_l + c\,r - r_l + s(\tau_j + p)\bigr),
 * \qquad p = r^2\left(\tfrac12 + \tfrac r6 + r^2\left(\tfrac1{24} + \tfrac r{120} + \tfrac{r^2}{720}\right)\right),$$
 *
 * where $c + r_h$ is summed as hi + lo (Fast2Sum, $|c| \ge |r_h|$ or $c = 0$) and the bracket, at most
 * under 1 % of the result, is added to lo. The $r^6/720$ term, needless in $e^z$ ($2^{-60}$ of 1), is
 * $2^{-52}$ of $r$ at $|r| = \ln 2/256$; without it and the hi + lo sum, $(s - 1) + s\,t$ is 2 ulp off
 * near $|z| = \ln 2/256$. For $|z| < \ln 2/256$ (k = 0) the result is $r + p$ with $r = z$ exactly:
 * full relative precision as z → 0, and `expm1Unchecked(±0)` is +0. Measured against the exact
 * BigInt reference (test/math/fastExp.test.ts) and mpmath (55000 z): at most 0.574 ulp on [-708, 0].
 * z > 0, ±Infinity and NaN give an unspecified number (NaN for NaN; no exception).
 */
export function expm1Unchecked(z: number): number {
  const kd = z * INV + SHIFT - SHIFT;
  const rh = z - kd * HI;
  const rl = kd * LO;
  const r = rh - rl;
  const k = kd | 0;
  const j = EXP2_AT + 2 * (k & 127);
  const s = TABLE[j]! * TABLE[((k >> 7) + POW2_BIAS) & 2047]!;
  const c = s - 1;
  const cl = s - (c + 1);
  const r2 = r * r;
  const p = r2 * (0.5 + r * (1 / 6) + r2 * (1 / 24 + r * (1 / 120) + r2 * (1 / 720)));
  const hi = c + rh;
  const lo = c - hi + rh;
  return hi + (lo + cl + (c * r - rl + s * (TABLE[j + 1]! + p)));
}
