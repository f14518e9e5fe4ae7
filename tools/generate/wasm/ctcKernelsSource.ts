/**
 * The source of the WebAssembly SIMD (f64x2) frame of ctcLoss's forward recursion, which
 * src/core/math/wasmCtc.ts loads: alphaRow's steps (src/core/losses/ctcKernel.ts) for two states
 * at a time, operation for operation, with vexp and vlog (vectorMath.ts) for fastExp and
 * fastLog1p, so both give the same bits; the tests check that. `npm run generate` embeds it in
 * src/core/math/wasmCtcBinary.ts.
 */
import { assemble, cat, I32, Locals, op, simd, V128, type Code, type Func } from './assembler';
import { expScratch, logScratch, memoryConstants, vexp, vlog, type Constants } from './vectorMath';

/**
 * Memory layout (bytes): the exp table, 128 pairs (2^(j/128) hi, tail); the log table, 128 pairs
 * (log(c_i) hi, lo); the constant vectors (written by `init`); then the recursion's buffers
 * (ctcKernel.ts's CtcWork). The caller fills both tables.
 */
export const CTC_EXP_TABLE_AT = 0;
export const CTC_LOG_TABLE_AT = 2048;
export const CTC_CONST_AT = 4096;
export const CTC_WORK_AT = 8192;

/**
 * Below this, fastExp is not expUnchecked (it scales subnormal results in two steps): a frame
 * with a difference in (-∞, LOWEST) is left to TypeScript. expUnchecked gives fastExp's bits on
 * [-709.08, 709.78].
 */
const LOWEST = -709;

const get = op.localGet;
const set = op.localSet;

let constants = memoryConstants(CTC_CONST_AT);
const k: Constants = (v) => constants.read(v);

const bitselect = (a: Code, b: Code, mask: Code) => cat(a, b, mask, simd.bitselect);

/**
 * alphaPairs(prev, prevLo, dst, dstLo, emit, skip, sa, sb, sc, count, shares) -> i32: α_t(s) for `count`
 * consecutive states s, each from α_{t-1}(s), α_{t-1}(s - 1) and, where skip(s) (all ones: an
 * f64 mask), α_{t-1}(s - 2), at byte offsets prev (α_{t-1}(s - 2) of the first state), dst (α_t),
 * emit (y_t(l'_s)) and skip, α's low parts at prevLo and dstLo (α a double-double, alphaRow's);
 * with shares = 1 also the three shares of each state at sa, sb, sc
 * (planes of the same layout). alphaRow's steps: m the first largest of a, b, c (a if a >= b and
 * a >= c, else b if b >= c, else c, by the high parts), e_x = 1 for it and fastExp((x - m) + (x's low part - m's)) for the two others (0
 * for -∞), q the sum of the others' in alphaRow's order (one exp each: two a pair of states), α = y + m + m's low part + fastLog1p(q)
 * as a double-double (below), z = 1 / (1 + q),
 * shares e_x z; α = -∞ and shares 0 where m = -∞. The last state of an odd count is computed in
 * lane 0 of a pair whose lane 1 changes nothing (its old values are stored back, and it cannot
 * make the frame refused). Returns 1, having written unspecified values in these places, when a
 * difference x - m lies in (-∞, -709) (fastExp's subnormal range): the caller redoes the frame.
 */
function alphaPairs(): Func {
  const [PREV, PREV_LO, DST, DST_LO, EMIT, SKIP, SA, SB, SC, COUNT, SHARES] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const L = new Locals(11);
  const i = L.add(I32), end = L.add(I32);
  const v = () => L.add(V128);
  const a = v(), b = v(), c = v(), isA = v(), isB = v(), isC = v(), m = v(), mNeg = v(), bad = v();
  const d = [v(), v()], ok = [v(), v()], f = [v(), v()], e = [v(), v(), v()];
  const q = v(), u = v(), t = v(), lg = v(), z = v(), valid = v(), ones = v(), lane0 = v();
  const aLo = v(), bLo = v(), cLo = v(), mLo = v(), y = v(), ym = v(), bm = v(), t2 = v(), bt = v(), low = v();
  const ex = expScratch(L);
  const lx = logScratch(L);
  const neg = () => k(-Infinity);
  // the two terms other than the largest, in alphaRow's order: (b, c) when a is the largest, (a, c) when b, (a, b) when c;
  // f_j = fastExp(d_j) where d_j = (o_j - m) + (o_j's low part - m's) >= LOWEST, else 0 (-∞); bad |= -∞ < d_j < LOWEST
  const other = (j: number, first: Code, firstLo: Code) => cat(
    first, get(m), simd.f64x2Sub, firstLo, get(mLo), simd.f64x2Sub, simd.f64x2Add, set(d[j]!),
    get(d[j]!), k(LOWEST), simd.f64x2Ge, set(ok[j]!),
    get(bad), get(d[j]!), k(LOWEST), simd.f64x2Lt, get(d[j]!), neg(), simd.f64x2Gt, simd.and, get(valid), simd.and, simd.or, set(bad),
    bitselect(get(d[j]!), k(0), get(ok[j]!)), set(d[j]!),
    bitselect(vexp(d[j]!, ex, k, CTC_EXP_TABLE_AT), k(0), get(ok[j]!)), set(f[j]!),
  );
  // written where `valid` (both lanes, or lane 0 for the last state of an odd count), else the old value kept
  const store = (at: Code, value: Code) => cat(at, bitselect(value, cat(at, simd.load()), get(valid)), simd.store());
  // the pair of states at byte offset i of each row (of the rows at 8 i / 8: f64 each)
  const pair = cat(
    get(PREV), get(i), op.i32Add, simd.load(16), set(a),
    get(PREV), get(i), op.i32Add, simd.load(8), set(b),
    bitselect(cat(get(PREV), get(i), op.i32Add, simd.load()), neg(), cat(get(SKIP), get(i), op.i32Add, simd.load())), set(c),
    get(PREV_LO), get(i), op.i32Add, simd.load(16), set(aLo),
    get(PREV_LO), get(i), op.i32Add, simd.load(8), set(bLo),
    bitselect(cat(get(PREV_LO), get(i), op.i32Add, simd.load()), k(0), cat(get(SKIP), get(i), op.i32Add, simd.load())), set(cLo),
    get(a), get(b), simd.f64x2Ge, get(a), get(c), simd.f64x2Ge, simd.and, set(isA),
    get(b), get(c), simd.f64x2Ge, get(isA), simd.andnot, set(isB),
    get(isA), get(isB), simd.or, get(ones), simd.xor, set(isC),
    bitselect(get(a), bitselect(get(b), get(c), get(isB)), get(isA)), set(m),
    bitselect(get(aLo), bitselect(get(bLo), get(cLo), get(isB)), get(isA)), set(mLo),
    get(m), neg(), simd.f64x2Eq, set(mNeg),
    other(0, bitselect(get(b), get(a), get(isA)), bitselect(get(bLo), get(aLo), get(isA))),
    other(1, bitselect(get(b), get(c), get(isC)), bitselect(get(bLo), get(cLo), get(isC))),
    get(f[0]!), get(f[1]!), simd.f64x2Add, set(q),
    // e_a, e_b, e_c: 1 for the largest, else its f
    bitselect(k(1), get(f[0]!), get(isA)), set(e[0]!),
    bitselect(k(1), bitselect(get(f[0]!), get(f[1]!), get(isA)), get(isB)), set(e[1]!),
    bitselect(k(1), get(f[1]!), get(isC)), set(e[2]!),
    // fastLog1p(q) = fastLogNormal(u, (1 - (u - w)) + (q - w)), u = 1 + q, w = u - 1 (0 at q = 0)
    k(1), get(q), simd.f64x2Add, set(u),
    get(u), k(1), simd.f64x2Sub, set(t),
    k(1), get(u), get(t), simd.f64x2Sub, simd.f64x2Sub, get(q), get(t), simd.f64x2Sub, simd.f64x2Add, set(t),
    bitselect(k(0), vlog(u, t, lx, k, CTC_LOG_TABLE_AT), cat(get(q), k(0), simd.f64x2Eq)), set(lg),
    // α = (y + m) + lg + mLo as a double-double (alphaRow): ym = y + m and t = ym + lg by TwoSum,
    // low = ((y - (ym - bm)) + (m - bm)) + ((ym - (t - bt)) + (lg - bt)) + mLo; α's low part is low
    // where t is finite, else 0 (t = -∞ where m = -∞)
    get(EMIT), get(i), op.i32Add, simd.load(), set(y),
    get(y), get(m), simd.f64x2Add, set(ym),
    get(ym), get(y), simd.f64x2Sub, set(bm),
    get(ym), get(lg), simd.f64x2Add, set(t2),
    get(t2), get(ym), simd.f64x2Sub, set(bt),
    get(y), get(ym), get(bm), simd.f64x2Sub, simd.f64x2Sub, get(m), get(bm), simd.f64x2Sub, simd.f64x2Add,
    get(ym), get(t2), get(bt), simd.f64x2Sub, simd.f64x2Sub, get(lg), get(bt), simd.f64x2Sub, simd.f64x2Add,
    simd.f64x2Add, get(mLo), simd.f64x2Add,
    get(t2), get(t2), simd.f64x2Sub, k(0), simd.f64x2Eq,
    simd.and, set(low),
    store(cat(get(DST), get(i), op.i32Add), get(t2)),
    store(cat(get(DST_LO), get(i), op.i32Add), get(low)),
    get(SHARES),
    op.if,
    k(1), get(u), simd.f64x2Div, set(z),
    ...[SA, SB, SC].map((plane, j) => store(cat(get(plane), get(i), op.i32Add), bitselect(k(0), cat(get(e[j]!), get(z), simd.f64x2Mul), get(mNeg)))),
    op.end,
  );
  const body = cat(
    k(0), set(bad),
    // all ones, and lane 0's bits alone (lane 1 from a zero vector)
    k(-1n), set(ones),
    get(ones), k(0), simd.shuffle([0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]), set(lane0),
    get(COUNT), op.i32(3), op.i32Shl, set(end),
    op.i32(0), set(i),
    op.block, op.loop,
    get(i), get(end), op.i32GeS, op.brIf(1),
    // both lanes, or lane 0 alone for the last state of an odd count
    get(ones), get(lane0), get(i), op.i32(8), op.i32Add, get(end), op.i32LtS, op.select, set(valid),
    pair,
    get(i), op.i32(16), op.i32Add, set(i),
    op.br(0),
    op.end, op.end,
    get(bad), simd.anyTrue,
  );
  return { name: 'alphaPairs', params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32], results: [I32], locals: L.types, body };
}

/**
 * gammaPairs(src, dst, sa, sb, sc, count): γ_t(u) = (γ_{t+1}(u) A(u) + γ_{t+1}(u + 1) B(u + 1)) + γ_{t+1}(u + 2) C(u + 2)
 * for `count` consecutive states u (gammaRow's sum, in its order), at byte offsets src (γ_{t+1}
 * of the first state), dst (γ_t) and sa, sb, sc (frame t + 1's share planes, at the first
 * state). The last state of an odd count is written from lane 0 only.
 */
function gammaPairs(): Func {
  const [SRC, DST, SA, SB, SC, COUNT] = [0, 1, 2, 3, 4, 5];
  const L = new Locals(6);
  const i = L.add(I32), end = L.add(I32);
  const valid = L.add(V128), ones = L.add(V128), lane0 = L.add(V128), g = L.add(V128);
  const at = (base: number) => cat(get(base), get(i), op.i32Add);
  const body = cat(
    op.i32(-1), simd.i32x4Splat, set(ones),
    get(ones), op.i32(0), simd.i32x4Splat, simd.shuffle([0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]), set(lane0),
    get(COUNT), op.i32(3), op.i32Shl, set(end),
    op.i32(0), set(i),
    op.block, op.loop,
    get(i), get(end), op.i32GeS, op.brIf(1),
    get(ones), get(lane0), get(i), op.i32(8), op.i32Add, get(end), op.i32LtS, op.select, set(valid),
    at(SRC), simd.load(), at(SA), simd.load(), simd.f64x2Mul,
    at(SRC), simd.load(8), at(SB), simd.load(8), simd.f64x2Mul, simd.f64x2Add,
    at(SRC), simd.load(16), at(SC), simd.load(16), simd.f64x2Mul, simd.f64x2Add, set(g),
    at(DST), bitselect(get(g), cat(at(DST), simd.load()), get(valid)), simd.store(),
    get(i), op.i32(16), op.i32Add, set(i),
    op.br(0),
    op.end, op.end,
  );
  return { name: 'gammaPairs', params: [I32, I32, I32, I32, I32, I32], results: [], locals: L.types, body };
}

/** The embedded module: alphaPairs, gammaPairs and init; 1 page of memory to start (the caller grows it and fills the tables). */
export function ctcModule(): Uint8Array {
  constants = memoryConstants(CTC_CONST_AT);
  const kernels = [alphaPairs(), gammaPairs()];
  return assemble([...kernels, constants.init()], 1);
}
