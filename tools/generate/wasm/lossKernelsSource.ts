/**
 * The source of the WebAssembly SIMD (f64x2) loss kernels that src/core/math/wasmKernels.ts
 * loads, written with assembler.ts. Each one follows its TypeScript counterpart operation for
 * operation (same constants, same tables, same order of every rounding), so both give the same
 * bits; the tests check that. `npm run generate` embeds the module in src/core/math/wasmBinary.ts.
 */
import { assemble, cat, F64, I32, Locals, op, simd, V128, type Code, type Func } from './assembler';
import { EXP_CONSTANTS, expScratch, localConstants, LOG_CONSTANTS, logScratch, memoryConstants, vexp, vlog, vlogNearOne, type Constants } from './vectorMath';
import { SUM_BLOCK } from '../../../src/core/math/rowKernels';

/**
 * Memory layout (bytes): the exp table, 128 pairs (2^(j/128) hi, tail); the log table, 128 pairs
 * (log(c_i) hi, lo); then the callers' buffers. The caller fills both tables.
 */
export const EXP_TABLE_AT = 0;
export const LOG_TABLE_AT = 2048;
/** The kernels' constant vectors, written by `init` (loaded from memory, V8 keeps them out of the instruction stream). */
export const CONST_AT = 4096;
export const WORK_AT = 8192;

const get = op.localGet;
const set = op.localSet;

/**
 * The constant vectors, in memory at CONST_AT (written by `init`); each kernel loads the ones it
 * uses into locals once, before its loops.
 */
let memory = memoryConstants(CONST_AT);
const splatF64: Constants = (v) => memory.read(v);

/** expPairs(inPtr, outPtr, n): out[i] = e^in[i] for f64 arrays of even length n (the tests' check of vexp). */
function expPairs(): Func {
  const [IN, OUT, N] = [0, 1, 2];
  const L = new Locals(3);
  const i = L.add(I32);
  const z = L.add(V128);
  const e = expScratch(L);
  const ek = localConstants(L, splatF64, EXP_CONSTANTS);
  const body = cat(
    ek.setup,
    op.i32(0), set(i),
    op.block, op.loop,
    get(i), get(N), op.i32GeS, op.brIf(1),
    get(IN), get(i), op.i32(3), op.i32Shl, op.i32Add, simd.load(), set(z),
    get(OUT), get(i), op.i32(3), op.i32Shl, op.i32Add,
    vexp(z, e, ek.read, EXP_TABLE_AT),
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
 * odd j), each lane's sum started at 1 with Fast2Sum's errors kept (summed by blocks of SUM_BLOCK
 * as rowKernels sums them; the last odd j into lane 0),
 * then t = (h - 1) + lo and s = h + lo from h + lo = TwoSum(s_even - 1, s_odd - 1) + q; a = scale / s,
 * out_j = f32(a e_j), out_k = f32(-(a rest)) with rest = t when x_k = m, else s - e_k; and
 * res[3r..3r+2] = m, t, 0. Any other row gets res[3r + 2] = 1 and is left to the caller (as is a
 * row whose s is NaN: a NaN input).
 */
function ceRowsF32(): Func {
  const [X, OUT, E, LAB, RES, ROWS, COLS, SCALE, IGNORE] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const L = new Locals(9);
  const r = L.add(I32), j = L.add(I32), xo = L.add(I32), oo = L.add(I32), k = L.add(I32), cols4 = L.add(I32), cols2 = L.add(I32), ro = L.add(I32);
  const m = L.add(F64), low = L.add(F64), s = L.add(F64), a = L.add(F64), v = L.add(F64), s0 = L.add(F64), t = L.add(F64), q0 = L.add(F64), y = L.add(F64), f = L.add(F64), h = L.add(F64), lo = L.add(F64);
  const vm = L.add(V128), vl = L.add(V128), z = L.add(V128), acc = L.add(V128), mv = L.add(V128), va = L.add(V128), ev = L.add(V128), accq = L.add(V128), vy = L.add(V128);
  const blockEnd = L.add(I32), accb = L.add(V128), accc = L.add(V128), bb = L.add(V128);
  const e = expScratch(L);
  const ek = localConstants(L, splatF64, EXP_CONSTANTS);
  const xAt = (idx: Code) => cat(get(xo), idx, op.i32(2), op.i32Shl, op.i32Add);
  const eAt = (idx: Code) => cat(get(E), idx, op.i32(3), op.i32Shl, op.i32Add);
  const oAt = (idx: Code) => cat(get(oo), idx, op.i32(2), op.i32Shl, op.i32Add);
  // m = m < v ? v : m ; low = v < low ? v : low (v in local `v`)
  const maxInto = (acc_: number) => cat(get(v), get(acc_), get(acc_), get(v), op.f64Lt, op.select, set(acc_));
  const minInto = (acc_: number) => cat(get(v), get(acc_), get(v), get(acc_), op.f64Lt, op.select, set(acc_));
  const reduceLane = (l: number) => cat(get(vm), simd.f32x4ExtractLane(l), op.f64PromoteF32, set(v), maxInto(m), get(vl), simd.f32x4ExtractLane(l), op.f64PromoteF32, set(v), minInto(low));
  const body = cat(
    ek.setup,
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
    // Fast2Sum's errors summed per block of SUM_BLOCK terms in accb: y = acc + e,
    // accb += e - (y - acc), acc = y; each block's accb joins accq by TwoSum (errors in accc)
    get(m), simd.f64x2Splat, set(mv),
    op.f64(1), simd.f64x2Splat, set(acc),
    op.f64(0), simd.f64x2Splat, set(accq),
    op.f64(0), simd.f64x2Splat, set(accc),
    op.i32(0), set(j),
    op.block, op.loop,
    get(j), get(cols2), op.i32GeS, op.brIf(1),
    // blockEnd = min(j + SUM_BLOCK, cols2)
    get(j), op.i32(SUM_BLOCK), op.i32Add, set(blockEnd),
    get(blockEnd), get(cols2), get(blockEnd), get(cols2), op.i32LtS, op.select, set(blockEnd),
    op.f64(0), simd.f64x2Splat, set(accb),
    op.block, op.loop,
    get(j), get(blockEnd), op.i32GeS, op.brIf(1),
    xAt(get(j)), simd.load64Zero(), simd.f64x2PromoteLow, get(mv), simd.f64x2Sub, set(z),
    eAt(get(j)), vexp(z, e, ek.read, EXP_TABLE_AT), op.localTee(ev), simd.store(),
    get(acc), get(ev), simd.f64x2Add, set(vy),
    get(accb), get(ev), get(vy), get(acc), simd.f64x2Sub, simd.f64x2Sub, simd.f64x2Add, set(accb),
    get(vy), set(acc),
    get(j), op.i32(2), op.i32Add, set(j),
    op.br(0),
    op.end, op.end,
    // y = accq + accb, bb = y - accq, accc += (accq - (y - bb)) + (accb - bb), accq = y
    get(accq), get(accb), simd.f64x2Add, set(vy),
    get(vy), get(accq), simd.f64x2Sub, set(bb),
    get(accc),
    get(accq), get(vy), get(bb), simd.f64x2Sub, simd.f64x2Sub,
    get(accb), get(bb), simd.f64x2Sub,
    simd.f64x2Add, simd.f64x2Add, set(accc),
    get(vy), set(accq),
    op.br(0),
    op.end, op.end,
    get(accq), get(accc), simd.f64x2Add, set(accq),
    get(acc), simd.f64x2ExtractLane(0), set(s0),
    get(accq), simd.f64x2ExtractLane(0), set(q0),
    get(j), get(COLS), op.i32LtS,
    op.if,
    xAt(get(j)), op.f32Load(), op.f64PromoteF32, get(m), op.f64Sub, simd.f64x2Splat, set(z),
    vexp(z, e, ek.read, EXP_TABLE_AT), simd.f64x2ExtractLane(0), set(v),
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

/** logPairs(aPtr, tPtr, outPtr, n): out[i] = log(a[i] + t[i]) (vlog, or `log`) for f64 arrays of even length n, a in [2^-1022, 1]. */
function logPairs(name = 'logPairs', log = vlog): Func {
  const [A, T, OUT, N] = [0, 1, 2, 3];
  const L = new Locals(4);
  const i = L.add(I32);
  const a = L.add(V128), t = L.add(V128);
  const g = logScratch(L);
  const gk = localConstants(L, splatF64, LOG_CONSTANTS);
  const at = (base: number) => cat(get(base), get(i), op.i32(3), op.i32Shl, op.i32Add);
  const body = cat(
    gk.setup,
    op.i32(0), set(i),
    op.block, op.loop,
    get(i), get(N), op.i32GeS, op.brIf(1),
    at(A), simd.load(), set(a),
    at(T), simd.load(), set(t),
    at(OUT), log(a, t, g, gk.read, LOG_TABLE_AT), simd.store(),
    get(i), op.i32(2), op.i32Add, set(i),
    op.br(0),
    op.end, op.end,
  );
  return { name, params: [I32, I32, I32, I32], results: [], locals: L.types, body };
}

/** The embedded module: ceRowsF32 and init; 1 page of memory to start (the caller grows it and fills the tables). */
export function kernelsModule(): Uint8Array {
  memory = memoryConstants(CONST_AT);
  const kernels = [ceRowsF32()];
  return assemble([...kernels, memory.init()], 1);
}

/** A test-only module with the same layout: expPairs, logPairs and logNearOnePairs (vexp, vlog and vlogNearOne alone) and init. */
export function testModule(): Uint8Array {
  memory = memoryConstants(CONST_AT);
  const kernels = [expPairs(), logPairs(), logPairs('logNearOnePairs', vlogNearOne)];
  return assemble([...kernels, memory.init()], 1);
}
