/**
 * The source of the WebAssembly SIMD (f64x2) loss kernels that src/core/math/wasmKernels.ts
 * loads, written with assembler.ts. Each one follows its TypeScript counterpart operation for
 * operation (same constants, same tables, same order of every rounding), so both give the same
 * bits; the tests check that. `npm run generate` embeds the module in src/core/math/wasmBinary.ts.
 */
import { tables } from '../tables/generateElementaryTables';
import { assemble, cat, F64, I32, Locals, op, simd, uleb, V128, type Code, type Func } from './assembler';

// The constants of src/core/math/elementaryTables.ts, from its generator (so one `npm run generate`
// after a change of the tables also rebuilds these kernels with the new values).
const { INV_LN2_N, LN2_HI, LN2_LO, LN2N_HI, LN2N_LO } = tables();

/**
 * Memory layout (bytes): the exp table, 128 pairs (2^(j/128) hi, tail); the log table, 128 pairs
 * (log(c_i) hi, lo); then the callers' buffers. The caller fills both tables.
 */
export const EXP_TABLE_AT = 0;
export const LOG_TABLE_AT = 2048;
/** The kernels' constant vectors, written by `init` (loaded from memory, V8 keeps them out of the instruction stream). */
export const CONST_AT = 4096;
export const WORK_AT = 8192;
const SHIFT = 6755399441055744;

const get = op.localGet;
const set = op.localSet;

/** The constant vectors (both lanes the f64 value, or the i64 value): their slots in CONST_AT. */
const constants: Array<number | bigint> = [];
function slot(v: number | bigint): number {
  let i = constants.findIndex((c) => Object.is(c, v));
  if (i < 0) i = constants.push(v) - 1;
  return i;
}
/** Loads the constant vector v from memory. */
const splatF64 = (v: number | bigint): Code => cat(op.i32(0), simd.load(CONST_AT + 16 * slot(v)));

/** init(): writes every constant vector the kernels load (call once, before any kernel). */
function init(): Func {
  const body: Code = [];
  constants.forEach((v, i) => {
    for (const half of [0, 8]) {
      if (typeof v === 'bigint') body.push(...op.i32(0), ...op.i64(v), 0x37, 3, ...uleb(CONST_AT + 16 * i + half));
      else body.push(...op.i32(0), ...op.f64(v), ...op.f64Store(CONST_AT + 16 * i + half));
    }
  });
  return { name: 'init', params: [], results: [], locals: [], body };
}

/** Locals holding the constant vectors of vexp, set by vexpConstants. */
interface ExpLocals {
  inv: number;
  shift: number;
  hi: number;
  lo: number;
  c3: number;
  c4: number;
  c5: number;
  half: number;
  bias: number;
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

function vexpConstants(l: ExpLocals): Code {
  return cat(
    splatF64(INV_LN2_N), set(l.inv),
    splatF64(SHIFT), set(l.shift),
    splatF64(LN2N_HI), set(l.hi),
    splatF64(LN2N_LO), set(l.lo),
    splatF64(0.5), set(l.half),
    splatF64(1 / 6), set(l.c3),
    splatF64(1 / 24), set(l.c4),
    splatF64(1 / 120), set(l.c5),
    splatF64(1023n), set(l.bias),
  );
}

/**
 * e^z for the two lanes of the v128 local `z`, left on the stack: expUnchecked's steps,
 * kd = (z INV + SHIFT) - SHIFT, r = (z - kd HI) - kd LO, k = int(kd), j = k & 127,
 * t = ((tail_j + r) + r² (1/2 + r/6)) + r⁴ (1/24 + r/120), (T_j + T_j t) 2^(k >> 7).
 */
function vexp(z: number, l: ExpLocals): Code {
  const lane = (p: number, i: number) =>
    cat(get(l.ki), simd.i32x4ExtractLane(i), op.i32(127), op.i32And, op.i32(4), op.i32Shl, simd.load(EXP_TABLE_AT), set(p));
  return cat(
    get(z), get(l.inv), simd.f64x2Mul, get(l.shift), simd.f64x2Add, get(l.shift), simd.f64x2Sub, set(l.kd),
    get(z), get(l.kd), get(l.hi), simd.f64x2Mul, simd.f64x2Sub, get(l.kd), get(l.lo), simd.f64x2Mul, simd.f64x2Sub, set(l.r),
    get(l.kd), simd.i32x4TruncSatF64x2SZero, set(l.ki),
    lane(l.p0, 0),
    lane(l.p1, 1),
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
    get(l.ki), op.i32(7), simd.i32x4ShrS, simd.i64x2ExtendLowI32x4S, get(l.bias), simd.i64x2Add, op.i32(52), simd.i64x2Shl,
    simd.f64x2Mul,
  );
}

/** Locals, plus the v128 sets that vlog and vexp work in. */
class KernelLocals extends Locals {
  logLocals(): LogLocals {
    const v = () => this.add(V128);
    return {
      l2hi: v(), l2lo: v(), off: v(), bias: v(), one: v(), step: v(), shift: v(), c2: v(), c3: v(), c4: v(), c5: v(), c6: v(), c7: v(),
      ei: v(), sc: v(), f: v(), id: v(), ii: v(), p0: v(), p1: v(), r: v(), r2: v(), ef: v(), w: v(), hi: v(),
    };
  }
  expLocals(): ExpLocals {
    const v = () => this.add(V128);
    return { inv: v(), shift: v(), hi: v(), lo: v(), c3: v(), c4: v(), c5: v(), half: v(), bias: v(), kd: v(), r: v(), r2: v(), ki: v(), p0: v(), p1: v(), t: v(), tj: v() };
  }
}

/** expPairs(inPtr, outPtr, n): out[i] = e^in[i] for f64 arrays of even length n (the tests' check of vexp). */
function expPairs(): Func {
  const [IN, OUT, N] = [0, 1, 2];
  const L = new KernelLocals(3);
  const i = L.add(I32);
  const z = L.add(V128);
  const e = L.expLocals();
  const body = cat(
    vexpConstants(e),
    op.i32(0), set(i),
    op.block, op.loop,
    get(i), get(N), op.i32GeS, op.brIf(1),
    get(IN), get(i), op.i32(3), op.i32Shl, op.i32Add, simd.load(), set(z),
    get(OUT), get(i), op.i32(3), op.i32Shl, op.i32Add,
    vexp(z, e),
    simd.store(),
    get(i), op.i32(2), op.i32Add, set(i),
    op.br(0),
    op.end, op.end,
  );
  return { name: 'expPairs', params: [I32, I32, I32], results: [], locals: L.types, body };
}

/**
 * ceRowsF32(x, out, e, labels, res, rows, cols, scale, ignoreIndex): crossEntropy's class-index
 * rows (hardRow in src/core/losses/softmaxRows.ts, the kernel of src/core/math/rowKernels.ts) for
 * float32 logits x[rows, cols] and float32 gradient out, with labels (i32) and an f64 scratch e of
 * cols. Per row r: m and the min by f32 comparisons that skip NaN; when the label is not
 * ignoreIndex, m is finite and m - min <= 708: e_j = e^(x_j - m) (vexp, two lanes = the even and
 * odd j), each lane's sum started at 1 with Fast2Sum's errors kept (the last odd j into lane 0),
 * then t = (h - 1) + lo and s = h + lo from h + lo = TwoSum(s_even - 1, s_odd - 1) + q; a = scale / s,
 * out_j = f32(a e_j), out_k = f32(-(a rest)) with rest = t when x_k = m, else s - e_k; and
 * res[3r..3r+2] = m, t, 0. Any other row gets res[3r + 2] = 1 and is left to the caller (as is a
 * row whose s is NaN: a NaN input).
 */
function ceRowsF32(): Func {
  const [X, OUT, E, LAB, RES, ROWS, COLS, SCALE, IGNORE] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const L = new KernelLocals(9);
  const r = L.add(I32), j = L.add(I32), xo = L.add(I32), oo = L.add(I32), k = L.add(I32), cols4 = L.add(I32), cols2 = L.add(I32), ro = L.add(I32);
  const m = L.add(F64), low = L.add(F64), s = L.add(F64), a = L.add(F64), v = L.add(F64), s0 = L.add(F64), t = L.add(F64), q0 = L.add(F64), y = L.add(F64), f = L.add(F64), h = L.add(F64), lo = L.add(F64);
  const vm = L.add(V128), vl = L.add(V128), z = L.add(V128), acc = L.add(V128), mv = L.add(V128), va = L.add(V128), ev = L.add(V128), accq = L.add(V128), vy = L.add(V128);
  const e = L.expLocals();
  const xAt = (idx: Code) => cat(get(xo), idx, op.i32(2), op.i32Shl, op.i32Add);
  const eAt = (idx: Code) => cat(get(E), idx, op.i32(3), op.i32Shl, op.i32Add);
  const oAt = (idx: Code) => cat(get(oo), idx, op.i32(2), op.i32Shl, op.i32Add);
  // m = m < v ? v : m ; low = v < low ? v : low (v in local `v`)
  const maxInto = (acc_: number) => cat(get(v), get(acc_), get(acc_), get(v), op.f64Lt, op.select, set(acc_));
  const minInto = (acc_: number) => cat(get(v), get(acc_), get(v), get(acc_), op.f64Lt, op.select, set(acc_));
  const reduceLane = (l: number) => cat(get(vm), simd.f32x4ExtractLane(l), op.f64PromoteF32, set(v), maxInto(m), get(vl), simd.f32x4ExtractLane(l), op.f64PromoteF32, set(v), minInto(low));
  const body = cat(
    vexpConstants(e),
    get(COLS), op.i32(-4), op.i32And, set(cols4),
    get(COLS), op.i32(-2), op.i32And, set(cols2),
    op.i32(0), set(r),
    op.block, op.loop,
    get(r), get(ROWS), op.i32GeS, op.brIf(1),
    get(X), get(r), get(COLS), op.i32Mul, op.i32(2), op.i32Shl, op.i32Add, set(xo),
    get(OUT), get(r), get(COLS), op.i32Mul, op.i32(2), op.i32Shl, op.i32Add, set(oo),
    get(RES), get(r), op.i32(24), op.i32Mul, op.i32Add, set(ro),
    get(LAB), get(r), op.i32(2), op.i32Shl, op.i32Add, op.i32Load(), set(k),
    // the row's max and min, NaN skipped (pmax(a, b) = a < b ? b : a)
    op.f64(-Infinity), op.f32DemoteF64, simd.f32x4Splat, set(vm),
    op.f64(Infinity), op.f32DemoteF64, simd.f32x4Splat, set(vl),
    op.i32(0), set(j),
    op.block, op.loop,
    get(j), get(cols4), op.i32GeS, op.brIf(1),
    xAt(get(j)), simd.load(), set(z),
    get(vm), get(z), simd.f32x4Pmax, set(vm),
    get(vl), get(z), simd.f32x4Pmin, set(vl),
    get(j), op.i32(4), op.i32Add, set(j),
    op.br(0),
    op.end, op.end,
    op.f64(-Infinity), set(m), op.f64(Infinity), set(low),
    reduceLane(0), reduceLane(1), reduceLane(2), reduceLane(3),
    op.block, op.loop,
    get(j), get(COLS), op.i32GeS, op.brIf(1),
    xAt(get(j)), op.f32Load(), op.f64PromoteF32, set(v), maxInto(m), minInto(low),
    get(j), op.i32(1), op.i32Add, set(j),
    op.br(0),
    op.end, op.end,
    // rows left to the caller: ignored, no finite max, or exponents below -708
    get(ro), op.f64(1), op.f64Store(16),
    get(k), get(IGNORE), op.i32Ne,
    get(m), op.f64(-Infinity), op.f64Gt, op.i32And,
    get(m), op.f64(Infinity), op.f64Lt, op.i32And,
    get(m), get(low), op.f64Sub, op.f64(708), op.f64Le, op.i32And,
    op.if,
    // e_j = exp(x_j - m), even j in lane 0, odd j in lane 1, each lane's sum started at 1 with
    // Fast2Sum's errors in accq: y = acc + e, accq += e - (y - acc), acc = y
    get(m), simd.f64x2Splat, set(mv),
    op.f64(1), simd.f64x2Splat, set(acc),
    op.f64(0), simd.f64x2Splat, set(accq),
    op.i32(0), set(j),
    op.block, op.loop,
    get(j), get(cols2), op.i32GeS, op.brIf(1),
    xAt(get(j)), simd.load64Zero(), simd.f64x2PromoteLow, get(mv), simd.f64x2Sub, set(z),
    eAt(get(j)), vexp(z, e), op.localTee(ev), simd.store(),
    get(acc), get(ev), simd.f64x2Add, set(vy),
    get(accq), get(ev), get(vy), get(acc), simd.f64x2Sub, simd.f64x2Sub, simd.f64x2Add, set(accq),
    get(vy), set(acc),
    get(j), op.i32(2), op.i32Add, set(j),
    op.br(0),
    op.end, op.end,
    get(acc), simd.f64x2ExtractLane(0), set(s0),
    get(accq), simd.f64x2ExtractLane(0), set(q0),
    get(j), get(COLS), op.i32LtS,
    op.if,
    xAt(get(j)), op.f32Load(), op.f64PromoteF32, get(m), op.f64Sub, simd.f64x2Splat, set(z),
    vexp(z, e), simd.f64x2ExtractLane(0), set(v),
    eAt(get(j)), get(v), op.f64Store(),
    get(s0), get(v), op.f64Add, set(y),
    get(q0), get(v), get(y), get(s0), op.f64Sub, op.f64Sub, op.f64Add, set(q0),
    get(y), set(s0),
    op.end,
    // finish: e = s_even - 1, f = s_odd - 1, h + lo = TwoSum(e, f) + q, t = (h - 1) + lo, s = h + lo
    get(s0), op.f64(1), op.f64Sub, set(s0),
    get(acc), simd.f64x2ExtractLane(1), op.f64(1), op.f64Sub, set(f),
    get(s0), get(f), op.f64Add, set(h),
    get(h), get(s0), op.f64Sub, set(y),
    get(s0), get(h), get(y), op.f64Sub, op.f64Sub, get(f), get(y), op.f64Sub, op.f64Add,
    get(q0), get(accq), simd.f64x2ExtractLane(1), op.f64Add, op.f64Add, set(lo),
    get(h), op.f64(1), op.f64Sub, get(lo), op.f64Add, set(t),
    get(h), get(lo), op.f64Add, set(s),
    get(s), get(s), op.f64Eq,
    op.if,
    get(SCALE), get(s), op.f64Div, set(a),
    get(a), simd.f64x2Splat, set(va),
    op.i32(0), set(j),
    op.block, op.loop,
    get(j), get(cols2), op.i32GeS, op.brIf(1),
    oAt(get(j)), get(va), eAt(get(j)), simd.load(), simd.f64x2Mul, simd.f32x4DemoteZero, simd.store64Lane0(),
    get(j), op.i32(2), op.i32Add, set(j),
    op.br(0),
    op.end, op.end,
    get(j), get(COLS), op.i32LtS,
    op.if,
    oAt(get(j)), get(a), eAt(get(j)), op.f64Load(), op.f64Mul, op.f32DemoteF64, op.f32Store(),
    op.end,
    // out_k = f32(-(a rest)) (as (a rest) (-1), the same bits), rest = x_k = m ? t : s - e_k
    oAt(get(k)),
    get(a),
    get(t),
    get(s), eAt(get(k)), op.f64Load(), op.f64Sub,
    xAt(get(k)), op.f32Load(), op.f64PromoteF32, get(m), op.f64Eq,
    op.select,
    op.f64Mul, op.f64(-1), op.f64Mul, op.f32DemoteF64, op.f32Store(),
    get(ro), get(m), op.f64Store(0),
    get(ro), get(t), op.f64Store(8),
    get(ro), op.f64(0), op.f64Store(16),
    op.end,
    op.end,
    get(r), op.i32(1), op.i32Add, set(r),
    op.br(0),
    op.end, op.end,
  );
  return { name: 'ceRowsF32', params: [I32, I32, I32, I32, I32, I32, I32, F64, I32], results: [], locals: L.types, body };
}

interface LogLocals {
  l2hi: number;
  l2lo: number;
  off: number;
  bias: number;
  one: number;
  step: number;
  shift: number;
  c2: number;
  c3: number;
  c4: number;
  c5: number;
  c6: number;
  c7: number;
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

function vlogConstants(l: LogLocals): Code {
  return cat(
    splatF64(LN2_HI), set(l.l2hi),
    splatF64(LN2_LO), set(l.l2lo),
    splatF64(0x3fe6a09en), set(l.off),
    splatF64(1023n), set(l.bias),
    splatF64(1), set(l.one),
    splatF64(0.0078125), set(l.step),
    splatF64(SHIFT), set(l.shift),
    splatF64(-0.5), set(l.c2),
    splatF64(1 / 3), set(l.c3),
    splatF64(-0.25), set(l.c4),
    splatF64(0.2), set(l.c5),
    splatF64(-1 / 6), set(l.c6),
    splatF64(1 / 7), set(l.c7),
  );
}

/**
 * log(a + t) for the two lanes of the v128 locals a (positive normal, at most 1 here: e <= 1022)
 * and t, left on the stack: fastLogNormal's steps, e = ((bits >> 32) - OFF) >> 20, sc = 2^-e from
 * its bits, f = a sc - 1, id = (128 f + SHIFT) - SHIFT, i = (int(id) + 64) & 127,
 * r = ((f - id/128) + t sc) / (1 + id/128), w = e ln2_hi + logc_hi, hi = w + r, lo = (w - hi) + r,
 * result hi + ((lo + (e ln2_lo + logc_lo)) + p(r)).
 */
function vlog(a: number, t: number, l: LogLocals): Code {
  const lane = (p: number, i: number) =>
    cat(get(l.ii), simd.i32x4ExtractLane(i), op.i32(64), op.i32Add, op.i32(127), op.i32And, op.i32(4), op.i32Shl, simd.load(LOG_TABLE_AT), set(p));
  return cat(
    get(a), op.i32(32), simd.i64x2ShrU, get(l.off), simd.i64x2Sub, op.i32(20), simd.i64x2ShrS, set(l.ei),
    get(l.bias), get(l.ei), simd.i64x2Sub, op.i32(52), simd.i64x2Shl, set(l.sc),
    get(a), get(l.sc), simd.f64x2Mul, get(l.one), simd.f64x2Sub, set(l.f),
    get(l.f), splatF64(128), simd.f64x2Mul, get(l.shift), simd.f64x2Add, get(l.shift), simd.f64x2Sub, set(l.id),
    get(l.id), simd.i32x4TruncSatF64x2SZero, set(l.ii),
    lane(l.p0, 0),
    lane(l.p1, 1),
    // r = ((f - id step) + t sc) / (1 + id step)
    get(l.f), get(l.id), get(l.step), simd.f64x2Mul, simd.f64x2Sub, get(t), get(l.sc), simd.f64x2Mul, simd.f64x2Add,
    get(l.one), get(l.id), get(l.step), simd.f64x2Mul, simd.f64x2Add,
    simd.f64x2Div, set(l.r),
    // e as f64: the low 32 bits of each i64 lane, converted
    get(l.ei), get(l.ei), simd.shuffle([0, 1, 2, 3, 8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11]), simd.f64x2ConvertLowI32x4S, set(l.ef),
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

/** The float32 1e-12 of PyTorch's gradient floor and the log floor, as binaryCrossEntropy. */
const GRAD_EPSILON = Math.fround(1e-12);
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * bceF32(p, y, out, pairs, scale, acc): binaryCrossEntropy's float32 loop over 2·pairs elements
 * (pairs a multiple of 4) with hard targets: q = 1 - p, ql = (1 - q) - p,
 * a = max(y p + (1 - y) q, 2^-1022), h = max(log(a + (1 - y) ql), -100), A_(j mod 4) -= h for
 * pair j (four f64x2 accumulators from 0: elementwise.ts's eight lanes, element i in lane i mod 8),
 * out = f32((scale (p - y)) / max(p (1 - p), eps)); acc (two f64) gets (A_0 + A_1) + (A_2 + A_3),
 * whose two lanes added are sumLoop's block sum. Returns 0, or 1 (acc untouched) as soon as a pair holds a target other than 0 or 1
 * or a value outside [0, 1] (or NaN): the caller then takes those elements itself.
 */
function bceF32(): Func {
  const [P, Y, OUT, PAIRS, SCALE, ACC] = [0, 1, 2, 3, 4, 5];
  const L = new KernelLocals(6);
  const i = L.add(I32);
  const p = L.add(V128), y = L.add(V128), q = L.add(V128), a = L.add(V128), t = L.add(V128), h = L.add(V128), d = L.add(V128);
  const acc = [L.add(V128), L.add(V128), L.add(V128), L.add(V128)];
  const zero = L.add(V128), one = L.add(V128), minNormal = L.add(V128), floor = L.add(V128), eps = L.add(V128), scale = L.add(V128);
  const g = L.logLocals();
  const at = (base: number, shift: number) => cat(get(base), get(i), op.i32(shift), op.i32Shl, op.i32Add);
  const body = cat(
    vlogConstants(g),
    splatF64(0), set(zero), splatF64(1), set(one), splatF64(MIN_NORMAL), set(minNormal), splatF64(-100), set(floor), splatF64(GRAD_EPSILON), set(eps),
    get(SCALE), simd.f64x2Splat, set(scale),
    ...acc.map((v) => cat(get(zero), set(v))),
    op.i32(0), set(i),
    op.block, op.loop,
    get(i), get(PAIRS), op.i32GeS, op.brIf(1),
    at(P, 3), simd.load64Zero(), simd.f64x2PromoteLow, set(p),
    at(Y, 3), simd.load64Zero(), simd.f64x2PromoteLow, set(y),
    // every lane: 0 <= p <= 1, 0 <= y <= 1 and y (1 - y) = 0, else leave
    get(p), get(zero), simd.f64x2Ge, get(p), get(one), simd.f64x2Le, simd.and,
    get(y), get(zero), simd.f64x2Ge, simd.and, get(y), get(one), simd.f64x2Le, simd.and,
    get(y), get(one), get(y), simd.f64x2Sub, simd.f64x2Mul, get(zero), simd.f64x2Eq, simd.and,
    simd.i64x2AllTrue, op.i32Eqz,
    op.if, op.i32(1), op.return, op.end,
    // q = 1 - p; t = (1 - y) ((1 - q) - p); a = y p + (1 - y) q, raised to 2^-1022
    get(one), get(p), simd.f64x2Sub, set(q),
    get(one), get(y), simd.f64x2Sub, get(one), get(q), simd.f64x2Sub, get(p), simd.f64x2Sub, simd.f64x2Mul, set(t),
    get(y), get(p), simd.f64x2Mul, get(one), get(y), simd.f64x2Sub, get(q), simd.f64x2Mul, simd.f64x2Add, set(a),
    get(minNormal), get(a), get(a), get(minNormal), simd.f64x2Lt, simd.bitselect, set(a),
    vlog(a, t, g), set(h),
    get(floor), get(h), get(h), get(floor), simd.f64x2Lt, simd.bitselect, set(h),
    // pair j into accumulator j mod 4, then the four rotated: the next pair's is first
    get(acc[0]!), get(h), simd.f64x2Sub, set(h),
    get(acc[1]!), set(acc[0]!), get(acc[2]!), set(acc[1]!), get(acc[3]!), set(acc[2]!), get(h), set(acc[3]!),
    // out = f32((scale (p - y)) / max(p (1 - p), eps))
    get(p), get(one), get(p), simd.f64x2Sub, simd.f64x2Mul, set(d),
    get(eps), get(d), get(d), get(eps), simd.f64x2Lt, simd.bitselect, set(d),
    at(OUT, 3),
    get(scale), get(p), get(y), simd.f64x2Sub, simd.f64x2Mul, get(d), simd.f64x2Div, simd.f32x4DemoteZero,
    simd.store64Lane0(),
    get(i), op.i32(1), op.i32Add, set(i),
    op.br(0),
    op.end, op.end,
    get(ACC), get(acc[0]!), get(acc[1]!), simd.f64x2Add, get(acc[2]!), get(acc[3]!), simd.f64x2Add, simd.f64x2Add, simd.store(),
    op.i32(0),
  );
  return { name: 'bceF32', params: [I32, I32, I32, I32, F64, I32], results: [I32], locals: L.types, body };
}

/** logPairs(aPtr, tPtr, outPtr, n): out[i] = log(a[i] + t[i]) (vlog) for f64 arrays of even length n, a in [2^-1022, 1]. */
function logPairs(): Func {
  const [A, T, OUT, N] = [0, 1, 2, 3];
  const L = new KernelLocals(4);
  const i = L.add(I32);
  const a = L.add(V128), t = L.add(V128);
  const g = L.logLocals();
  const at = (base: number) => cat(get(base), get(i), op.i32(3), op.i32Shl, op.i32Add);
  const body = cat(
    vlogConstants(g),
    op.i32(0), set(i),
    op.block, op.loop,
    get(i), get(N), op.i32GeS, op.brIf(1),
    at(A), simd.load(), set(a),
    at(T), simd.load(), set(t),
    at(OUT), vlog(a, t, g), simd.store(),
    get(i), op.i32(2), op.i32Add, set(i),
    op.br(0),
    op.end, op.end,
  );
  return { name: 'logPairs', params: [I32, I32, I32, I32], results: [], locals: L.types, body };
}

/** The embedded module: ceRowsF32, bceF32 and init; 1 page of memory to start (the caller grows it and fills the tables). */
export function kernelsModule(): Uint8Array {
  constants.length = 0;
  const kernels = [ceRowsF32(), bceF32()];
  return assemble([...kernels, init()], 1);
}

/** A test-only module with the same layout: expPairs and logPairs (vexp and vlog alone) and init. */
export function testModule(): Uint8Array {
  constants.length = 0;
  const kernels = [expPairs(), logPairs()];
  return assemble([...kernels, init()], 1);
}
