/**
 * Generates src/core/math/elementaryTables.ts (fastExp's and fastLog's tables and constants) from
 * the exact BigInt references of exactReference.ts. `npm run generate` writes it;
 * test/generate/drift.test.ts checks that the committed module equals this output.
 */
import { generatedHeader } from '../header';
import { LN2, ONE, P, expFixedSmall, logFixed, roundDiv, roundFixed } from './exactReference';

/** 2^(j/N) table size of fastExp. */
export const EXP_N = 128;
/** log(c) table of fastLog: c = 1 + (i - LOG_OFFSET) / LOG_N for i in [0, 2 LOG_OFFSET). */
export const LOG_N = 128;
export const LOG_OFFSET = 64;
/** Bits after the binary point kept in LN2_HI and LOGC_HI, so e * LN2_HI + LOGC_HI is exact for |e| <= 1074. */
export const LOG_HI_BITS = 42;
/** Bits after the binary point kept in LN2N_HI, so k * LN2N_HI is exact for |k| < 2^17. */
export const EXP_HI_BITS = 43;

export interface Tables {
  INV_LN2_N: number;
  LN2N_HI: number;
  LN2N_LO: number;
  LN2_HI: number;
  LN2_LO: number;
  EXP2_HI: number[];
  EXP2_TAIL: number[];
  LOGC_HI: number[];
  LOGC_LO: number[];
}

/** v rounded to a multiple of 2^-bits (fixed point), and the rest correctly rounded. */
function split(v: bigint, bits: number): [number, number] {
  const unit = 1n << (P - BigInt(bits));
  const hiUnits = roundDiv(v, unit);
  const hi = Number(hiUnits) / 2 ** bits; // an integer below 2^53 over a power of two: exact
  return [hi, roundFixed(v - hiUnits * unit)];
}

export function tables(): Tables {
  const n = BigInt(EXP_N);
  const ln2N = LN2 / n;
  const [LN2N_HI, LN2N_LO] = split(ln2N, EXP_HI_BITS);
  const [LN2_HI, LN2_LO] = split(LN2, LOG_HI_BITS);
  const EXP2_HI: number[] = [];
  const EXP2_TAIL: number[] = [];
  for (let j = 0; j < EXP_N; j++) {
    // 2^(j/N) = exp(j ln2 / N); tail = (2^(j/N) - hi) / hi, so 2^(j/N) = hi (1 + tail)
    const v = expFixedSmall((BigInt(j) * LN2) / n);
    const hi = roundFixed(v);
    const hiFixed = BigInt(hi * 2 ** 60) << (P - 60n); // hi has 53 bits, all above 2^-60
    EXP2_HI.push(hi);
    EXP2_TAIL.push(roundFixed(((v - hiFixed) << P) / hiFixed));
  }
  const LOGC_HI: number[] = [];
  const LOGC_LO: number[] = [];
  for (let i = 0; i < 2 * LOG_OFFSET; i++) {
    const c = ONE + (BigInt(i - LOG_OFFSET) * ONE) / BigInt(LOG_N);
    const [hi, lo] = split(logFixed(c), LOG_HI_BITS);
    LOGC_HI.push(hi);
    LOGC_LO.push(lo);
  }
  return { INV_LN2_N: roundFixed((n << (2n * P)) / LN2), LN2N_HI, LN2N_LO, LN2_HI, LN2_LO, EXP2_HI, EXP2_TAIL, LOGC_HI, LOGC_LO };
}

/** The text of src/core/math/elementaryTables.ts. */
export function tablesModule(): string {
  const t = tables();
  const list = (a: number[]) => a.map((v) => `  ${String(v)},`).join('\n');
  return `${generatedHeader('tools/generate/tables/generateElementaryTables.ts (exact BigInt arithmetic)')}
// Every number is the correctly rounded double of the quantity named, unless split into hi + lo.

/** N / ln 2 for fastExp's reduction x = (k / N) ln 2 + r, N = ${EXP_N}. */
export const INV_LN2_N = ${t.INV_LN2_N};
/** ln 2 / N = LN2N_HI + LN2N_LO; LN2N_HI has ${EXP_HI_BITS} bits after the point, so k * LN2N_HI is exact for |k| < 2^17. */
export const LN2N_HI = ${t.LN2N_HI};
export const LN2N_LO = ${t.LN2N_LO};
/** ln 2 = LN2_HI + LN2_LO; LN2_HI has ${LOG_HI_BITS} bits after the point, so e * LN2_HI is exact for |e| <= 1074. */
export const LN2_HI = ${t.LN2_HI};
export const LN2_LO = ${t.LN2_LO};

/** EXP2_HI[j] = RN(2^(j/${EXP_N})), j in [0, ${EXP_N}). */
export const EXP2_HI = new Float64Array([
${list(t.EXP2_HI)}
]);

/** EXP2_TAIL[j] = RN((2^(j/${EXP_N}) - EXP2_HI[j]) / EXP2_HI[j]): 2^(j/${EXP_N}) = EXP2_HI[j] (1 + EXP2_TAIL[j]) to ~2^-106. */
export const EXP2_TAIL = new Float64Array([
${list(t.EXP2_TAIL)}
]);

/**
 * log(c_i) = LOGC_HI[i] + LOGC_LO[i] for c_i = 1 + (i - ${LOG_OFFSET}) / ${LOG_N}, i in [0, ${2 * LOG_OFFSET});
 * LOGC_HI has ${LOG_HI_BITS} bits after the point (like LN2_HI), LOGC_LO is the correctly rounded rest.
 */
export const LOGC_HI = new Float64Array([
${list(t.LOGC_HI)}
]);

export const LOGC_LO = new Float64Array([
${list(t.LOGC_LO)}
]);
`;
}
