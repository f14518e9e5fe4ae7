/**
 * exp, expm1 and log on the two lanes of an f64x2, for the WebAssembly kernels written with
 * assembler.ts (lossKernelsSource.ts, softplusKernelsSource.ts): vexp follows expUnchecked and
 * vexpm1 expUnchecked with expm1Unchecked (src/core/math/fastExp.ts), vlog fastLogNormal
 * (src/core/math/fastLog.ts), operation for operation, with the same tables (2^(j/128) and
 * log(c_i) pairs, which the kernels' caller writes into memory at `tableAt`), so each gives the
 * TypeScript functions' bits. A kernel passes how it reads constants (`Constants`): from locals
 * set once (localConstants) or from memory at each use (memoryConstants).
 */
import { tables } from '../tables/generateElementaryTables';
import { cat, type Func, type Locals, op, simd, V128, type Code } from './assembler';

// The constants of src/core/math/elementaryTables.ts, from its generator (so one `npm run generate`
// after a change of the tables also rebuilds these kernels with the new values).
const { INV_LN2_N, LN2_HI, LN2_LO, LN2N_HI, LN2N_LO } = tables();
const SHIFT = 6755399441055744;

const get = op.localGet;
const set = op.localSet;

/** Puts a constant vector on the stack (both lanes the f64 value, or the i64 value). */
export type Constants = (v: number | bigint) => Code;

/** The constants vexp and vlog read. */
export const EXP_CONSTANTS: ReadonlyArray<number | bigint> = [INV_LN2_N, SHIFT, LN2N_HI, LN2N_LO, 0.5, 1 / 6, 1 / 24, 1 / 120, 1023n << 52n, ~127n];
export const LOG_CONSTANTS: ReadonlyArray<number | bigint> = [LN2_HI, LN2_LO, 0x3fe6a09en << 32n, 1023n << 32n, -(1n << 32n), 1, 0.0078125, SHIFT, -0.5, 1 / 3, -0.25, 0.2, -1 / 6, 1 / 7, 128];

/**
 * Constants held in locals, one per value of `values`: `read(v)` gets v's local (a value not
 * listed throws), `setup` is the code that fills them (with `fill`, e.g. loads from memoryConstants), to run
 * once before the loops. Locals cost nothing while registers last; a kernel with more live
 * vectors than the 16 xmm registers spills them (see memoryConstants).
 */
export function localConstants(L: Locals, fill: Constants, values: ReadonlyArray<number | bigint>): { read: Constants; setup: Code } {
  const distinct = values.filter((v, i) => values.findIndex((c) => Object.is(c, v)) === i);
  const locals = distinct.map(() => L.add(V128));
  const read: Constants = (v) => {
    const i = distinct.findIndex((c) => Object.is(c, v));
    if (i < 0) throw new Error(`localConstants: ${String(v)} is not one of the constants set up`);
    return get(locals[i]!);
  };
  return { read, setup: cat(...distinct.map((v, i) => cat(fill(v), set(locals[i]!)))) };
}

/**
 * Constants in memory at `at` (16 bytes each, one slot per distinct value): `read(v)` loads v's
 * slot at each use (an operand V8 reads from memory, no register held), `init()` a function that
 * writes every slot read so far (call it once after instantiating, before any kernel).
 */
export function memoryConstants(at: number): { read: Constants; init: () => Func } {
  const values: Array<number | bigint> = [];
  const read: Constants = (v) => {
    let i = values.findIndex((c) => Object.is(c, v));
    if (i < 0) i = values.push(v) - 1;
    return cat(op.i32(0), simd.load(at + 16 * i));
  };
  const init = (): Func => {
    const body: Code = [];
    values.forEach((v, i) => {
      for (const half of [0, 8]) {
        if (typeof v === 'bigint') body.push(...op.i32(0), ...op.i64(v), ...op.i64Store(at + 16 * i + half));
        else body.push(...op.i32(0), ...op.f64(v), ...op.f64Store(at + 16 * i + half));
      }
    });
    return { name: 'init', params: [], results: [], locals: [], body };
  };
  return { read, init };
}

/** The v128 locals vexp works in. */
export interface ExpScratch {
  kd: number;
  r: number;
  r2: number;
  ki: number;
  p0: number;
  p1: number;
  t: number;
  tj: number;
}

export function expScratch(L: Locals): ExpScratch {
  const v = () => L.add(V128);
  return { kd: v(), r: v(), r2: v(), ki: v(), p0: v(), p1: v(), t: v(), tj: v() };
}

/** The v128 locals vlog works in. */
export interface LogScratch {
  ei: number;
  sc: number;
  f: number;
  id: number;
  ii: number;
  p0: number;
  p1: number;
  r: number;
  r2: number;
  ef: number;
  w: number;
  hi: number;
}

export function logScratch(L: Locals): LogScratch {
  const v = () => L.add(V128);
  return { ei: v(), sc: v(), f: v(), id: v(), ii: v(), p0: v(), p1: v(), r: v(), r2: v(), ef: v(), w: v(), hi: v() };
}

/**
 * e^z for the two lanes of the v128 local `z`, left on the stack: expUnchecked's steps,
 * kd = (z INV + SHIFT) - SHIFT, r = (z - kd HI) - kd LO, k = int(kd), j = k & 127,
 * t = ((tail_j + r) + r² (1/2 + r/6)) + r⁴ (1/24 + r/120), (T_j + T_j t) 2^(k >> 7).
 * k is read from the bits of ks = z INV + SHIFT, which are those of SHIFT (low 32 bits 0) plus k:
 * its low words (i32 lanes 0 and 2) are k, and ((ks & ~127) << 45) + (1023 << 52) is the double
 * 2^(k >> 7) (SHIFT's bits vanish in the shift), without a float-to-int conversion.
 */
export function vexp(z: number, l: ExpScratch, k: Constants, tableAt: number): Code {
  const lane = (p: number, i: number) =>
    cat(get(l.ki), simd.i32x4ExtractLane(i), op.i32(127), op.i32And, op.i32(4), op.i32Shl, simd.load(tableAt), set(p));
  return cat(
    get(z), k(INV_LN2_N), simd.f64x2Mul, k(SHIFT), simd.f64x2Add, set(l.ki), get(l.ki), k(SHIFT), simd.f64x2Sub, set(l.kd),
    get(z), get(l.kd), k(LN2N_HI), simd.f64x2Mul, simd.f64x2Sub, get(l.kd), k(LN2N_LO), simd.f64x2Mul, simd.f64x2Sub, set(l.r),
    lane(l.p0, 0),
    lane(l.p1, 2),
    get(l.p0), get(l.p1), simd.shuffle([0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]), set(l.tj),
    get(l.r), get(l.r), simd.f64x2Mul, set(l.r2),
    // t = ((tail + r) + r2 (1/2 + r/6)) + (r2 r2) (1/24 + r/120)
    get(l.p0), get(l.p1), simd.shuffle([8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31]),
    get(l.r), simd.f64x2Add,
    get(l.r2), k(0.5), get(l.r), k(1 / 6), simd.f64x2Mul, simd.f64x2Add, simd.f64x2Mul, simd.f64x2Add,
    get(l.r2), get(l.r2), simd.f64x2Mul, k(1 / 24), get(l.r), k(1 / 120), simd.f64x2Mul, simd.f64x2Add, simd.f64x2Mul, simd.f64x2Add,
    set(l.t),
    // (tj + tj t) 2^(k >> 7), the power of two built from its bits
    get(l.tj), get(l.tj), get(l.t), simd.f64x2Mul, simd.f64x2Add,
    get(l.ki), k(~127n), simd.and, op.i32(45), simd.i64x2Shl, k(1023n << 52n), simd.i64x2Add,
    simd.f64x2Mul,
  );
}

/**
 * log(a + t) for the two lanes of the v128 locals a (positive normal, below 2^1022 √2: e <= 1022)
 * and t, left on the stack: fastLogNormal's steps, e = ((bits >> 32) - OFF) >> 20, sc = 2^-e from
 * its bits, f = a sc - 1, id = (128 f + SHIFT) - SHIFT, i = (int(id) + 64) & 127,
 * r = ((f - id/128) + t sc) / (1 + id/128), w = e ln2_hi + logc_hi, hi = w + r, lo = (w - hi) + r,
 * result hi + ((lo + (e ln2_lo + logc_lo)) + p(r)). e is worked out in the high words (i32 lanes
 * 1 and 3, where (hi(a) - OFF) >> 20 is the same integer as on the i64 lanes), and int(id) read
 * from the low words of (128 f + SHIFT), as in vexp.
 */
export function vlog(a: number, t: number, l: LogScratch, k: Constants, tableAt: number): Code {
  return logSteps(a, t, l, k, tableAt, false);
}

/**
 * vlog for a in [√2/2, √2) (e = 0: logCosh's 1 + z, z in [0, 0.34]), left on the stack: the same
 * steps without the exponent's, which give sc = 1 and e ln2 = 0 there, so the same bits
 * (f = a sc - 1 = a - 1, t sc = t, w = 0 + logc_hi = logc_hi and 0 + logc_lo = logc_lo, no table
 * entry being -0).
 */
export function vlogNearOne(a: number, t: number, l: LogScratch, k: Constants, tableAt: number): Code {
  return logSteps(a, t, l, k, tableAt, true);
}

/** vlog's steps; with `nearOne`, without those of the exponent e (0 there). */
function logSteps(a: number, t: number, l: LogScratch, k: Constants, tableAt: number, nearOne: boolean): Code {
  const lane = (p: number, i: number) =>
    cat(get(l.ii), simd.i32x4ExtractLane(i), op.i32(64), op.i32Add, op.i32(127), op.i32And, op.i32(4), op.i32Shl, simd.load(tableAt), set(p));
  // the table's log(c_i) pair: its high parts, its low parts
  const logcHi = cat(get(l.p0), get(l.p1), simd.shuffle([0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]));
  const logcLo = cat(get(l.p0), get(l.p1), simd.shuffle([8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31]));
  return cat(
    nearOne
      ? cat(get(a), k(1), simd.f64x2Sub, set(l.f))
      : cat(
          get(a), k(0x3fe6a09en << 32n), simd.i32x4Sub, op.i32(20), simd.i32x4ShrS, set(l.ei),
          k(1023n << 32n), get(l.ei), simd.i32x4Sub, op.i32(20), simd.i32x4Shl, k(-(1n << 32n)), simd.and, set(l.sc),
          get(a), get(l.sc), simd.f64x2Mul, k(1), simd.f64x2Sub, set(l.f),
        ),
    get(l.f), k(128), simd.f64x2Mul, k(SHIFT), simd.f64x2Add, set(l.ii), get(l.ii), k(SHIFT), simd.f64x2Sub, set(l.id),
    lane(l.p0, 0),
    lane(l.p1, 2),
    // r = ((f - id step) + t sc) / (1 + id step)
    get(l.f), get(l.id), k(0.0078125), simd.f64x2Mul, simd.f64x2Sub, get(t), nearOne ? [] : cat(get(l.sc), simd.f64x2Mul), simd.f64x2Add,
    k(1), get(l.id), k(0.0078125), simd.f64x2Mul, simd.f64x2Add,
    simd.f64x2Div, set(l.r),
    nearOne
      ? cat(logcHi, set(l.w))
      : cat(
          // e as f64: the high words of the lanes, converted
          get(l.ei), get(l.ei), simd.shuffle([4, 5, 6, 7, 12, 13, 14, 15, 4, 5, 6, 7, 12, 13, 14, 15]), simd.f64x2ConvertLowI32x4S, set(l.ef),
          get(l.ef), k(LN2_HI), simd.f64x2Mul, logcHi, simd.f64x2Add, set(l.w),
        ),
    get(l.w), get(l.r), simd.f64x2Add, set(l.hi),
    get(l.r), get(l.r), simd.f64x2Mul, set(l.r2),
    get(l.hi),
    // lo = (w - hi) + r, then + (e ln2_lo + logc_lo)
    get(l.w), get(l.hi), simd.f64x2Sub, get(l.r), simd.f64x2Add,
    nearOne ? logcLo : cat(get(l.ef), k(LN2_LO), simd.f64x2Mul, logcLo, simd.f64x2Add),
    simd.f64x2Add,
    // p = r2 ((c2 + r c3) + r2 ((c4 + r c5) + r2 (c6 + r c7)))
    get(l.r2),
    k(-0.5), get(l.r), k(1 / 3), simd.f64x2Mul, simd.f64x2Add,
    get(l.r2),
    k(-0.25), get(l.r), k(0.2), simd.f64x2Mul, simd.f64x2Add,
    get(l.r2), k(-1 / 6), get(l.r), k(1 / 7), simd.f64x2Mul, simd.f64x2Add, simd.f64x2Mul,
    simd.f64x2Add, simd.f64x2Mul, simd.f64x2Add, simd.f64x2Mul,
    simd.f64x2Add,
    simd.f64x2Add,
  );
}

/** The v128 locals vexpm1 works in, besides vexp's. */
export interface Expm1Scratch extends ExpScratch {
  rh: number;
  rl: number;
  sc: number;
  tail: number;
  c: number;
  hi: number;
  pa: number;
  pb: number;
}

export function expm1Scratch(L: Locals): Expm1Scratch {
  const v = () => L.add(V128);
  return { ...expScratch(L), rh: v(), rl: v(), sc: v(), tail: v(), c: v(), hi: v(), pa: v(), pb: v() };
}

/**
 * e^z into the local `e` and e^z - 1 into `m`, for the two lanes of the local `z` (in
 * [-708, 0]): expUnchecked's and expm1Unchecked's steps (src/core/math/fastExp.ts), sharing
 * their reduction: kd, rh = z - kd HI, rl = kd LO, r = rh - rl, j, T_j, tail_j, 2^(k >> 7), r²,
 * pa = 1/2 + r/6, pb = 1/24 + r/120; then e = (T_j + T_j ((tail_j + r) + r² pa + (r² r²) pb)) 2^(k >> 7) and,
 * with s = T_j 2^(k >> 7), c = s - 1, hi = c + rh,
 * m = hi + (((c - hi) + rh + (s - (c + 1))) + ((c r - rl) + s (tail_j + r² (pa + r² (pb + r²/720))))).
 */
export function vexpm1(z: number, l: Expm1Scratch, k: Constants, tableAt: number, e: number, m: number): Code {
  const lane = (p: number, i: number) =>
    cat(get(l.ki), simd.i32x4ExtractLane(i), op.i32(127), op.i32And, op.i32(4), op.i32Shl, simd.load(tableAt), set(p));
  return cat(
    get(z), k(INV_LN2_N), simd.f64x2Mul, k(SHIFT), simd.f64x2Add, set(l.ki), get(l.ki), k(SHIFT), simd.f64x2Sub, set(l.kd),
    get(z), get(l.kd), k(LN2N_HI), simd.f64x2Mul, simd.f64x2Sub, set(l.rh),
    get(l.kd), k(LN2N_LO), simd.f64x2Mul, set(l.rl),
    get(l.rh), get(l.rl), simd.f64x2Sub, set(l.r),
    lane(l.p0, 0),
    lane(l.p1, 2),
    get(l.p0), get(l.p1), simd.shuffle([0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]), set(l.tj),
    get(l.p0), get(l.p1), simd.shuffle([8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31]), set(l.tail),
    get(l.r), get(l.r), simd.f64x2Mul, set(l.r2),
    k(0.5), get(l.r), k(1 / 6), simd.f64x2Mul, simd.f64x2Add, set(l.pa),
    k(1 / 24), get(l.r), k(1 / 120), simd.f64x2Mul, simd.f64x2Add, set(l.pb),
    get(l.ki), k(~127n), simd.and, op.i32(45), simd.i64x2Shl, k(1023n << 52n), simd.i64x2Add, set(l.sc),
    // e = (tj + tj t) 2^(k >> 7), t = ((tail + r) + r2 pa) + (r2 r2) pb
    get(l.tj), get(l.tj),
    get(l.tail), get(l.r), simd.f64x2Add, get(l.r2), get(l.pa), simd.f64x2Mul, simd.f64x2Add,
    get(l.r2), get(l.r2), simd.f64x2Mul, get(l.pb), simd.f64x2Mul, simd.f64x2Add,
    simd.f64x2Mul, simd.f64x2Add, get(l.sc), simd.f64x2Mul, set(e),
    // s (in l.t) = tj 2^(k >> 7), c = s - 1, hi = c + rh
    get(l.tj), get(l.sc), simd.f64x2Mul, set(l.t),
    get(l.t), k(1), simd.f64x2Sub, set(l.c),
    get(l.c), get(l.rh), simd.f64x2Add, set(l.hi),
    // m = hi + (((c - hi) + rh + (s - (c + 1))) + ((c r - rl) + s (tail + p))), p = r2 (pa + r2 (pb + r2/720))
    get(l.hi),
    get(l.c), get(l.hi), simd.f64x2Sub, get(l.rh), simd.f64x2Add,
    get(l.t), get(l.c), k(1), simd.f64x2Add, simd.f64x2Sub,
    simd.f64x2Add,
    get(l.c), get(l.r), simd.f64x2Mul, get(l.rl), simd.f64x2Sub,
    get(l.t),
    get(l.tail),
    get(l.r2), get(l.pa), get(l.r2), get(l.pb), get(l.r2), k(1 / 720), simd.f64x2Mul, simd.f64x2Add, simd.f64x2Mul, simd.f64x2Add, simd.f64x2Mul,
    simd.f64x2Add, simd.f64x2Mul, simd.f64x2Add,
    simd.f64x2Add,
    simd.f64x2Add,
    set(m),
  );
}
