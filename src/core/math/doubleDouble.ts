import type { FloatArray } from '../tensor/types';

/**
 * Double-double arithmetic (a value as hi + lo, about 106 bits) for the rare results that
 * float64 evaluation cannot give: a quantity that is the small difference of two large ones
 * (logSumExp of [-ln 2, -ln 2] is 2.3e-17, the softmax cross-entropy gradient p - t at a target
 * t = fl(p) is the rounding error of t). The row kernels compute in float64, notice such a
 * cancellation (the result below 2^-20 of its terms) and only then recompute here. Not a hot
 * path: plain objects, clear code. Error-free transformations: TwoSum (Knuth), TwoProd
 * (Dekker, with Veltkamp's split; no FMA in JavaScript).
 */

/** hi + lo with |lo| <= ulp(hi) / 2. */
export interface DD {
  readonly hi: number;
  readonly lo: number;
}

const ONE: DD = { hi: 1, lo: 0 };

/** ln 2 as three doubles, to ~2^-160. */
const LN2_1 = 0.6931471805599453;
const LN2_2 = 2.3190468138462996e-17;
const LN2_3 = 5.707708438416212e-34;

/** a + b exactly, as a double-double. */
export function twoSum(a: number, b: number): DD {
  const s = a + b;
  const bb = s - a;
  return { hi: s, lo: a - (s - bb) + (b - bb) };
}

function fastTwoSum(a: number, b: number): DD {
  const s = a + b;
  return { hi: s, lo: b - (s - a) };
}

/** a * b exactly (|a|, |b| below 2^995, so the split cannot overflow), as a double-double. */
export function twoProd(a: number, b: number): DD {
  const p = a * b;
  const ca = 134217729 * a;
  const ah = ca - (ca - a);
  const al = a - ah;
  const cb = 134217729 * b;
  const bh = cb - (cb - b);
  const bl = b - bh;
  return { hi: p, lo: ah * bh - p + ah * bl + al * bh + al * bl };
}

export function ddAdd(a: DD, b: DD): DD {
  const s = twoSum(a.hi, b.hi);
  const t = twoSum(a.lo, b.lo);
  const u = fastTwoSum(s.hi, s.lo + t.hi);
  return fastTwoSum(u.hi, u.lo + t.lo);
}

export function ddNeg(a: DD): DD {
  return { hi: -a.hi, lo: -a.lo };
}

export function ddMul(a: DD, b: DD): DD {
  const p = twoProd(a.hi, b.hi);
  return fastTwoSum(p.hi, p.lo + (a.hi * b.lo + a.lo * b.hi));
}

export function ddDiv(a: DD, b: DD): DD {
  const q1 = a.hi / b.hi;
  const r1 = ddAdd(a, ddNeg(ddMul({ hi: q1, lo: 0 }, b)));
  const q2 = r1.hi / b.hi;
  const r2 = ddAdd(r1, ddNeg(ddMul({ hi: q2, lo: 0 }, b)));
  const q3 = r2.hi / b.hi;
  return ddAdd(fastTwoSum(q1, q2), { hi: q3, lo: 0 });
}

/** a · 2^k for an integer k, exactly (in two steps, so 2^k itself never overflows). */
function ddScale(a: DD, k: number): DD {
  const f1 = 2 ** (k >> 1);
  const f2 = 2 ** (k - (k >> 1));
  return { hi: a.hi * f1 * f2, lo: a.lo * f1 * f2 };
}

/**
 * e^x to ~2^-100 relative for x in [-745, 709]: x = k ln 2 + r (ln 2 in three parts, each k·part an
 * exact product), e^r = (e^(r/256))^256 taken as expm1, E = expm1(r/256) by its Taylor series to
 * the 11th power (|r/256| < 2^-9), then E <- 2E + E^2 eight times, and 2^k (1 + E).
 */
export function ddExp(x: DD): DD {
  const k = Math.round(x.hi / LN2_1);
  let r = ddAdd(x, ddNeg(twoProd(k, LN2_1)));
  r = ddAdd(r, ddNeg(twoProd(k, LN2_2)));
  r = ddAdd(r, { hi: -k * LN2_3, lo: 0 });
  const q = ddScale(r, -8);
  let p = ONE;
  for (let n = 11; n >= 2; n--) p = ddAdd(ONE, ddMul(ddDivSmall(q, n), p));
  let e = ddMul(q, p);
  for (let i = 0; i < 8; i++) e = ddAdd(ddScale(e, 1), ddMul(e, e));
  return ddScale(ddAdd(ONE, e), k);
}

/** a / n for a small positive integer n. */
function ddDivSmall(a: DD, n: number): DD {
  const q1 = a.hi / n;
  const r = ddAdd(a, ddNeg(twoProd(q1, n)));
  return fastTwoSum(q1, (r.hi + r.lo) / n);
}

/**
 * ln a for a positive finite normal a: a = 2^k b with b near 1 (so TwoProd's split cannot
 * overflow), then k ln 2 plus one Newton step y0 + (b e^-y0 - 1) from y0 = Math.log(b.hi): ~2^-104.
 */
export function ddLog(a: DD): DD {
  const k = Math.round(Math.log2(a.hi));
  const b = ddScale(a, -k);
  const y0 = Math.log(b.hi);
  const t = ddAdd(ddMul(b, ddExp({ hi: -y0, lo: 0 })), { hi: -1, lo: 0 });
  const kln2 = ddAdd(ddAdd(twoProd(k, LN2_1), twoProd(k, LN2_2)), { hi: k * LN2_3, lo: 0 });
  return ddAdd(kln2, ddAdd({ hi: y0, lo: 0 }, t));
}

/**
 * One row's softmax in double-double: e_j = e^(x_j - m) (x_j - m exact by TwoSum), s = Σ e_j,
 * and with pHi / pLo, p_j = e_j / s into them; returns log s (also double-double), so the
 * row's log-sum-exp is m + log s.
 */
export function ddSoftmaxRow(x: FloatArray, o: number, cols: number, m: number, pHi: Float64Array | null, pLo: Float64Array | null): DD {
  const e: DD[] = [];
  let s: DD = { hi: 0, lo: 0 };
  for (let j = 0; j < cols; j++) {
    // below -746 the exp is 0 (x_j - m may even overflow to -Infinity)
    const v = x[o + j]! - m < -746 ? { hi: 0, lo: 0 } : ddExp(twoSum(x[o + j]!, -m));
    e.push(v);
    s = ddAdd(s, v);
  }
  for (let j = 0; pHi && pLo && j < cols; j++) {
    const p = ddDiv(e[j]!, s);
    pHi[j] = p.hi;
    pLo[j] = p.lo;
  }
  return ddLog(s);
}
