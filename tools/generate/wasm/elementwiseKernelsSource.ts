/**
 * The source of the WebAssembly SIMD (f64x2) elementwise kernels that
 * src/core/math/wasmElementwise.ts loads, written with assembler.ts: one block of the elementwise
 * loop (sumLoop in src/core/losses/elementwise.ts) for float32 input, target and gradient, no
 * weights, per loss. Each follows the loss's term and slope operation for operation, and the
 * loop's two lanes (lane 0 the even elements, lane 1 the odd ones, plain float64 sums as sumLoop's
 * on float32 arguments), so both give the same bits; the tests check that. `npm run generate`
 * embeds the module in src/core/math/wasmElementwiseBinary.ts.
 */
import { assemble, cat, F64, I32, Locals, op, simd, V128, type Code, type Func } from './assembler';

const get = op.localGet;
const set = op.localSet;

/** The v128 locals a loss's pair code works in: the two elements' x and y, and what it leaves. */
interface Pair {
  x: number;
  y: number;
  /** The two terms ℓ. */
  l: number;
  /** The two slopes c · ∂ℓ/∂x. */
  g: number;
  /** Scratch. */
  d: number;
  e: number;
  /** Constants the loss's setup splats once: c (the scale), a (the parameter), and its own. */
  c: number;
  a: number;
  k: number[];
}

/** A loss: constants computed once from c and a (into p.k), then the code of one pair. */
interface PairLoss {
  name: string;
  constants: number;
  setup: (p: Pair) => Code;
  pair: (p: Pair) => Code;
}

const splat = (v: number): Code => cat(op.f64(v), simd.f64x2Splat);

/** mse: ℓ = (x - y)², c ∂ℓ/∂x = (2 c)(x - y) (squaredError's `2 * c * (x - y)`). */
const mse: PairLoss = {
  name: 'mseF32',
  constants: 1,
  setup: (p) => cat(splat(2), get(p.c), simd.f64x2Mul, set(p.k[0]!)),
  pair: (p) => cat(get(p.x), get(p.y), simd.f64x2Sub, set(p.d), get(p.d), get(p.d), simd.f64x2Mul, set(p.l), get(p.k[0]!), get(p.d), simd.f64x2Mul, set(p.g)),
};

/** mae: ℓ = |x - y|, c ∂ℓ/∂x = x > y ? c : x < y ? -c : 0. */
const mae: PairLoss = {
  name: 'maeF32',
  constants: 1,
  setup: (p) => cat(get(p.c), simd.f64x2Neg, set(p.k[0]!)),
  pair: (p) =>
    cat(
      get(p.x),
      get(p.y),
      simd.f64x2Sub,
      simd.f64x2Abs,
      set(p.l),
      get(p.c),
      get(p.x),
      get(p.y),
      simd.f64x2Gt,
      simd.and,
      get(p.k[0]!),
      get(p.x),
      get(p.y),
      simd.f64x2Lt,
      simd.and,
      simd.or,
      set(p.g),
    ),
};

/**
 * huber (a = δ > 0): d = |x - y|, ℓ = d < a ? (0.5 d) d : a (d - 0.5 a); with d = x - y,
 * c ∂ℓ/∂x = c (d > a ? a : d < -a ? -a : d) = c pmin(pmax(d, -a), a).
 */
const huber: PairLoss = {
  name: 'huberF32',
  constants: 3,
  setup: (p) => cat(splat(0.5), get(p.a), simd.f64x2Mul, set(p.k[0]!), get(p.a), simd.f64x2Neg, set(p.k[1]!), splat(0.5), set(p.k[2]!)),
  pair: (p) =>
    cat(
      get(p.x),
      get(p.y),
      simd.f64x2Sub,
      set(p.d),
      get(p.d),
      simd.f64x2Abs,
      set(p.e),
      get(p.k[2]!),
      get(p.e),
      simd.f64x2Mul,
      get(p.e),
      simd.f64x2Mul,
      get(p.a),
      get(p.e),
      get(p.k[0]!),
      simd.f64x2Sub,
      simd.f64x2Mul,
      get(p.e),
      get(p.a),
      simd.f64x2Lt,
      simd.bitselect,
      set(p.l),
      // pmin(pmax(d, -a), a) = a < (d < -a ? -a : d) ? a : (d < -a ? -a : d), which for a > 0 is
      // the slope's d > a ? a : d < -a ? -a : d (NaN included), in two instructions for four
      get(p.c),
      get(p.d),
      get(p.k[1]!),
      simd.f64x2Pmax,
      get(p.a),
      simd.f64x2Pmin,
      simd.f64x2Mul,
      set(p.g),
    ),
};

/**
 * smoothL1Loss (a = β): d = |x - y|, ℓ = d < a ? (0.5 d) (d / a) : d - 0.5 a; with d = x - y,
 * c ∂ℓ/∂x = c (d > a ? 1 : d < -a ? -1 : a = 0 ? 0 : d / a).
 */
const smoothL1: PairLoss = {
  name: 'smoothL1F32',
  constants: 5,
  setup: (p) =>
    cat(
      splat(0.5),
      get(p.a),
      simd.f64x2Mul,
      set(p.k[0]!),
      get(p.a),
      simd.f64x2Neg,
      set(p.k[1]!),
      splat(0.5),
      set(p.k[2]!),
      splat(1),
      set(p.k[3]!),
      get(p.a),
      splat(0),
      simd.f64x2Eq,
      set(p.k[4]!),
    ),
  pair: (p) =>
    cat(
      get(p.x),
      get(p.y),
      simd.f64x2Sub,
      set(p.d),
      get(p.d),
      simd.f64x2Abs,
      set(p.e),
      get(p.k[2]!),
      get(p.e),
      simd.f64x2Mul,
      get(p.e),
      get(p.a),
      simd.f64x2Div,
      simd.f64x2Mul,
      get(p.e),
      get(p.k[0]!),
      simd.f64x2Sub,
      get(p.e),
      get(p.a),
      simd.f64x2Lt,
      simd.bitselect,
      set(p.l),
      get(p.c),
      // inner = a = 0 ? 0 : d / a (the zero as the mask's complement: and-not)
      get(p.d),
      get(p.a),
      simd.f64x2Div,
      get(p.k[4]!),
      simd.andnot,
      set(p.e),
      get(p.k[3]!),
      splat(-1),
      get(p.e),
      get(p.d),
      get(p.k[1]!),
      simd.f64x2Lt,
      simd.bitselect,
      get(p.d),
      get(p.a),
      simd.f64x2Gt,
      simd.bitselect,
      simd.f64x2Mul,
      set(p.g),
    ),
};

/**
 * name(x, y, out, octets, c, a, check) -> f64: over 8·octets float32 elements, four f64x2
 * accumulators, A_k holding the lanes 2k and 2k + 1 of sumLoop's eight (element i in lane
 * i mod 8), out_i = f32(c ∂ℓ/∂x_i); returns the lanes of (A_0 + A_1) + (A_2 + A_3) added:
 * ((l0 + l2) + (l4 + l6)) + ((l1 + l3) + (l5 + l7)), or NaN when check = 1 and a stored gradient
 * is not finite. sumLoop adds v - v to each term instead (v the stored gradient): 0 when v is
 * finite, which changes no lane's bits (a lane starts at +0 and is never -0), NaN otherwise; the
 * kernel ORs the float32 v - v of every stored vector (one op per four elements, where the
 * loop's form took four per pair).
 */
function octetLoop(loss: PairLoss): Func {
  const [X, Y, OUT, OCTETS, C, A, CHECK] = [0, 1, 2, 3, 4, 5, 6];
  const L = new Locals(7);
  const i = L.add(I32),
    end = L.add(I32);
  const v = () => L.add(V128);
  const p: Pair = { x: v(), y: v(), l: v(), g: v(), d: v(), e: v(), c: v(), a: v(), k: Array.from({ length: loss.constants }, v) };
  const acc = [v(), v(), v(), v()];
  const bad = v(),
    w = v(),
    x4 = v(),
    y4 = v(),
    g0 = v();
  const HIGH = [8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15];
  const LOWS = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];
  // the pair in the low floats of x4 and y4 into accumulator k, its float32 gradient left in w
  const pair = (k: number) =>
    cat(
      get(x4),
      simd.f64x2PromoteLow,
      set(p.x),
      get(y4),
      simd.f64x2PromoteLow,
      set(p.y),
      loss.pair(p),
      get(p.g),
      simd.f32x4DemoteZero,
      set(w),
      get(acc[k]!),
      get(p.l),
      simd.f64x2Add,
      set(acc[k]!),
    );
  // four elements at byte i + offset: two pairs, into accumulators k and k + 1
  const half = (k: number, offset: number) =>
    cat(
      get(X),
      get(i),
      op.i32Add,
      simd.load(offset),
      set(x4),
      get(Y),
      get(i),
      op.i32Add,
      simd.load(offset),
      set(y4),
      pair(k),
      get(w),
      set(g0),
      // the high two floats moved down, then the next pair
      get(x4),
      get(x4),
      simd.shuffle(HIGH),
      set(x4),
      get(y4),
      get(y4),
      simd.shuffle(HIGH),
      set(y4),
      pair(k + 1),
      get(OUT),
      get(i),
      op.i32Add,
      get(g0),
      get(w),
      simd.shuffle(LOWS),
      op.localTee(w),
      simd.store(offset),
      // the stored gradients v: bad |= v - v (0 bits unless one is not finite)
      get(bad),
      get(w),
      get(w),
      simd.f32x4Sub,
      simd.or,
      set(bad),
    );
  const body = cat(
    get(C),
    simd.f64x2Splat,
    set(p.c),
    get(A),
    simd.f64x2Splat,
    set(p.a),
    loss.setup(p),
    ...[...acc, bad].map((a) => cat(splat(0), set(a))),
    get(OCTETS),
    op.i32(5),
    op.i32Shl,
    set(end),
    op.i32(0),
    set(i),
    op.block,
    op.loop,
    get(i),
    get(end),
    op.i32GeS,
    op.brIf(1),
    half(0, 0),
    half(2, 16),
    get(i),
    op.i32(32),
    op.i32Add,
    set(i),
    op.br(0),
    op.end,
    op.end,
    get(acc[0]!),
    get(acc[1]!),
    simd.f64x2Add,
    get(acc[2]!),
    get(acc[3]!),
    simd.f64x2Add,
    simd.f64x2Add,
    set(w),
    get(w),
    simd.f64x2ExtractLane(0),
    get(w),
    simd.f64x2ExtractLane(1),
    op.f64Add,
    // NaN (as sumLoop's total, whose terms each add v - v) when checked and a gradient is not finite
    op.f64(NaN),
    get(CHECK),
    get(bad),
    simd.anyTrue,
    op.i32And,
    op.i32Eqz,
    op.select,
  );
  return { name: loss.name, params: [I32, I32, I32, I32, F64, F64, I32], results: [F64], locals: L.types, body };
}

/** The losses of the module, in export order. */
export const ELEMENTWISE_WASM_LOSSES = [mse, mae, huber, smoothL1].map((l) => l.name);

/** The embedded module: one kernel per loss; 2 pages of memory (the staging blocks of wasmElementwise.ts fit). */
export function elementwiseModule(): Uint8Array {
  return assemble([mse, mae, huber, smoothL1].map(octetLoop), 2);
}
