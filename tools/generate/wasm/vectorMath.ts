/**
 * exp and log on the two lanes of an f64x2, for the WebAssembly kernels written with assembler.ts
 * (lossKernelsSource.ts, softplusKernelsSource.ts): vexp follows expUnchecked
 * (src/core/math/fastExp.ts) and vlog fastLogNormal (src/core/math/fastLog.ts) operation for
 * operation, with the same tables (2^(j/128) and log(c_i) pairs, which the kernels' caller writes
 * into memory at `tableAt`), so both give the TypeScript functions' bits.
 */
import { tables } from '../tables/generateElementaryTables';
import { cat, type Locals, op, simd, V128, type Code } from './assembler';

// The constants of src/core/math/elementaryTables.ts, from its generator (so one `npm run generate`
// after a change of the tables also rebuilds these kernels with the new values).
const { INV_LN2_N, LN2_HI, LN2_LO, LN2N_HI, LN2N_LO } = tables();
const SHIFT = 6755399441055744;

const get = op.localGet;
const set = op.localSet;

/** Puts a constant vector on the stack (both lanes the f64 value, or the i64 value): loaded from memory or an immediate. */
export type Splat = (v: number | bigint) => Code;

/** A splat of an immediate (for code outside the loops, where it runs once per call). */
export const splatImmediate: Splat = (v) => (typeof v === 'bigint' ? cat(op.i64(v), simd.i64x2Splat) : cat(op.f64(v), simd.f64x2Splat));

/** Locals holding the constant vectors of vexp, set by vexpConstants. */
export interface ExpLocals {
  inv: number;
  shift: number;
  hi: number;
  lo: number;
  c3: number;
  c4: number;
  c5: number;
  half: number;
  /** 1023 << 52, and ~127: the power of two's exponent bits, the mask that keeps k - (k mod 128). */
  bias: number;
  mask: number;
  // scratch
  kd: number;
  r: number;
  r2: number;
  ki: number;
  p0: number;
  p1: number;
  t: number;
  tj: number;
}

export function vexpConstants(l: ExpLocals, splatF64: Splat): Code {
  return cat(
    splatF64(INV_LN2_N), set(l.inv),
    splatF64(SHIFT), set(l.shift),
    splatF64(LN2N_HI), set(l.hi),
    splatF64(LN2N_LO), set(l.lo),
    splatF64(0.5), set(l.half),
    splatF64(1 / 6), set(l.c3),
    splatF64(1 / 24), set(l.c4),
    splatF64(1 / 120), set(l.c5),
    splatF64(1023n << 52n), set(l.bias),
    splatF64(~127n), set(l.mask),
  );
}

/**
 * e^z for the two lanes of the v128 local `z`, left on the stack: expUnchecked's steps,
 * kd = (z INV + SHIFT) - SHIFT, r = (z - kd HI) - kd LO, k = int(kd), j = k & 127,
 * t = ((tail_j + r) + r² (1/2 + r/6)) + r⁴ (1/24 + r/120), (T_j + T_j t) 2^(k >> 7).
 * k is read from the bits of ks = z INV + SHIFT, which are those of SHIFT (low 32 bits 0) plus k:
 * its low words (i32 lanes 0 and 2) are k, and ((ks & ~127) << 45) + (1023 << 52) is the double
 * 2^(k >> 7) (SHIFT's bits vanish in the shift), without a float-to-int conversion.
 */
export function vexp(z: number, l: ExpLocals, tableAt: number): Code {
  const lane = (p: number, i: number) =>
    cat(get(l.ki), simd.i32x4ExtractLane(i), op.i32(127), op.i32And, op.i32(4), op.i32Shl, simd.load(tableAt), set(p));
  return cat(
    get(z), get(l.inv), simd.f64x2Mul, get(l.shift), simd.f64x2Add, set(l.ki), get(l.ki), get(l.shift), simd.f64x2Sub, set(l.kd),
    get(z), get(l.kd), get(l.hi), simd.f64x2Mul, simd.f64x2Sub, get(l.kd), get(l.lo), simd.f64x2Mul, simd.f64x2Sub, set(l.r),
    lane(l.p0, 0),
    lane(l.p1, 2),
    get(l.p0), get(l.p1), simd.shuffle([0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]), set(l.tj),
    get(l.r), get(l.r), simd.f64x2Mul, set(l.r2),
    // t = ((tail + r) + r2 (1/2 + r/6)) + (r2 r2) (1/24 + r/120)
    get(l.p0), get(l.p1), simd.shuffle([8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31]),
    get(l.r), simd.f64x2Add,
    get(l.r2), get(l.half), get(l.r), get(l.c3), simd.f64x2Mul, simd.f64x2Add, simd.f64x2Mul, simd.f64x2Add,
    get(l.r2), get(l.r2), simd.f64x2Mul, get(l.c4), get(l.r), get(l.c5), simd.f64x2Mul, simd.f64x2Add, simd.f64x2Mul, simd.f64x2Add,
    set(l.t),
    // (tj + tj t) 2^(k >> 7), the power of two built from its bits
    get(l.tj), get(l.tj), get(l.t), simd.f64x2Mul, simd.f64x2Add,
    get(l.ki), get(l.mask), simd.and, op.i32(45), simd.i64x2Shl, get(l.bias), simd.i64x2Add,
    simd.f64x2Mul,
  );
}

export interface LogLocals {
  l2hi: number;
  l2lo: number;
  /** OFF and 1023 in the high word of each lane, and the mask of the high words (the exponent works in i32 lanes 1 and 3). */
  off: number;
  bias: number;
  high: number;
  one: number;
  step: number;
  shift: number;
  c2: number;
  c3: number;
  c4: number;
  c5: number;
  c6: number;
  c7: number;
  c128: number;
  // scratch
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

export function vlogConstants(l: LogLocals, splatF64: Splat): Code {
  return cat(
    splatF64(LN2_HI), set(l.l2hi),
    splatF64(LN2_LO), set(l.l2lo),
    splatF64(0x3fe6a09en << 32n), set(l.off),
    splatF64(1023n << 32n), set(l.bias),
    splatF64(-(1n << 32n)), set(l.high),
    splatF64(1), set(l.one),
    splatF64(0.0078125), set(l.step),
    splatF64(SHIFT), set(l.shift),
    splatF64(-0.5), set(l.c2),
    splatF64(1 / 3), set(l.c3),
    splatF64(-0.25), set(l.c4),
    splatF64(0.2), set(l.c5),
    splatF64(-1 / 6), set(l.c6),
    splatF64(1 / 7), set(l.c7),
    splatF64(128), set(l.c128),
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
export function vlog(a: number, t: number, l: LogLocals, tableAt: number): Code {
  const lane = (p: number, i: number) =>
    cat(get(l.ii), simd.i32x4ExtractLane(i), op.i32(64), op.i32Add, op.i32(127), op.i32And, op.i32(4), op.i32Shl, simd.load(tableAt), set(p));
  return cat(
    get(a), get(l.off), simd.i32x4Sub, op.i32(20), simd.i32x4ShrS, set(l.ei),
    get(l.bias), get(l.ei), simd.i32x4Sub, op.i32(20), simd.i32x4Shl, get(l.high), simd.and, set(l.sc),
    get(a), get(l.sc), simd.f64x2Mul, get(l.one), simd.f64x2Sub, set(l.f),
    get(l.f), get(l.c128), simd.f64x2Mul, get(l.shift), simd.f64x2Add, set(l.ii), get(l.ii), get(l.shift), simd.f64x2Sub, set(l.id),
    lane(l.p0, 0),
    lane(l.p1, 2),
    // r = ((f - id step) + t sc) / (1 + id step)
    get(l.f), get(l.id), get(l.step), simd.f64x2Mul, simd.f64x2Sub, get(t), get(l.sc), simd.f64x2Mul, simd.f64x2Add,
    get(l.one), get(l.id), get(l.step), simd.f64x2Mul, simd.f64x2Add,
    simd.f64x2Div, set(l.r),
    // e as f64: the high words of the lanes, converted
    get(l.ei), get(l.ei), simd.shuffle([4, 5, 6, 7, 12, 13, 14, 15, 4, 5, 6, 7, 12, 13, 14, 15]), simd.f64x2ConvertLowI32x4S, set(l.ef),
    get(l.ef), get(l.l2hi), simd.f64x2Mul, get(l.p0), get(l.p1), simd.shuffle([0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]), simd.f64x2Add, set(l.w),
    get(l.w), get(l.r), simd.f64x2Add, set(l.hi),
    get(l.r), get(l.r), simd.f64x2Mul, set(l.r2),
    get(l.hi),
    // lo = (w - hi) + r
    get(l.w), get(l.hi), simd.f64x2Sub, get(l.r), simd.f64x2Add,
    get(l.ef), get(l.l2lo), simd.f64x2Mul, get(l.p0), get(l.p1), simd.shuffle([8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31]), simd.f64x2Add,
    simd.f64x2Add,
    // p = r2 ((c2 + r c3) + r2 ((c4 + r c5) + r2 (c6 + r c7)))
    get(l.r2),
    get(l.c2), get(l.r), get(l.c3), simd.f64x2Mul, simd.f64x2Add,
    get(l.r2),
    get(l.c4), get(l.r), get(l.c5), simd.f64x2Mul, simd.f64x2Add,
    get(l.r2), get(l.c6), get(l.r), get(l.c7), simd.f64x2Mul, simd.f64x2Add, simd.f64x2Mul,
    simd.f64x2Add, simd.f64x2Mul, simd.f64x2Add, simd.f64x2Mul,
    simd.f64x2Add,
    simd.f64x2Add,
  );
}


/** The v128 locals vexp works in. */
export function expLocals(L: Locals): ExpLocals {
  const v = () => L.add(V128);
  return { inv: v(), shift: v(), hi: v(), lo: v(), c3: v(), c4: v(), c5: v(), half: v(), bias: v(), mask: v(), kd: v(), r: v(), r2: v(), ki: v(), p0: v(), p1: v(), t: v(), tj: v() };
}

/** The v128 locals vlog works in. */
export function logLocals(L: Locals): LogLocals {
  const v = () => L.add(V128);
  return {
    l2hi: v(), l2lo: v(), off: v(), bias: v(), high: v(), one: v(), step: v(), shift: v(), c2: v(), c3: v(), c4: v(), c5: v(), c6: v(), c7: v(), c128: v(),
    ei: v(), sc: v(), f: v(), id: v(), ii: v(), p0: v(), p1: v(), r: v(), r2: v(), ef: v(), w: v(), hi: v(),
  };
}
