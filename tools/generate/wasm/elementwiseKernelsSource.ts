/**
 * The source of the WebAssembly SIMD (f64x2) elementwise kernels that
 * src/core/math/wasmElementwise.ts loads, written with assembler.ts: one block of the elementwise
 * loop (sumLoop in src/core/losses/elementwise.ts) for float32 input, target and gradient, no
 * weights, per loss. Each follows the loss's term and slope operation for operation, and the
 * loop's two lanes (lane 0 the even elements, lane 1 the odd ones, plain float64 sums as sumLoop's
 * on float32 arguments), so both give the same bits; the tests check that. `npm run generate`
 * embeds the module in src/core/math/wasmElementwiseBinary.ts.
 */
import { assemble, cat, op, simd } from './assembler';
import { octetLoop, splat, type PairLoss } from './octetLoop';
import { STAGE_SCRATCH } from './softplusKernelsSource';

const get = op.localGet;
const set = op.localSet;

/** mse: ℓ = (x - y)², c ∂ℓ/∂x = (2 c)(x - y) (squaredError's `2 * c * (x - y)`). */
const mse: PairLoss = {
  name: 'mseF32',
  constants: 1,
  scratch: () => null,
  setup: (p) => cat(splat(2), get(p.c), simd.f64x2Mul, set(p.k[0]!)),
  pair: (p) => cat(get(p.x), get(p.y), simd.f64x2Sub, set(p.d), get(p.d), get(p.d), simd.f64x2Mul, set(p.l), get(p.k[0]!), get(p.d), simd.f64x2Mul, set(p.g)),
};

/**
 * mae: ℓ = |d|, d = x - y; c ∂ℓ/∂x = x > y ? c : x < y ? -c : 0 as c with the sign bit of d
 * flipped in (c ^ (d ^ |d|)) where 0 < |d|, else 0: d > 0 exactly when x > y and d < 0 exactly
 * when x < y (a difference rounds to 0 only when it is 0; ±Infinity keeps its sign), and 0 < |d|
 * fails where d is ±0 or NaN (x = y, or a NaN, or Infinity - Infinity): the loop's bits, always.
 */
const mae: PairLoss = {
  name: 'maeF32',
  constants: 1,
  scratch: () => null,
  setup: (p) => cat(splat(0), set(p.k[0]!)),
  pair: (p) =>
    cat(
      get(p.x),
      get(p.y),
      simd.f64x2Sub,
      op.localTee(p.d),
      simd.f64x2Abs,
      op.localTee(p.l),
      get(p.d),
      simd.xor,
      get(p.c),
      simd.xor,
      get(p.k[0]!),
      get(p.l),
      simd.f64x2Lt,
      simd.and,
      set(p.g),
    ),
};

/**
 * huber (a = δ > 0): with d = x - y, s = pmin(pmax(d, -a), a) (= d > a ? a : d < -a ? -a : d, NaN
 * included), ℓ = s (d - 0.5 s) and c ∂ℓ/∂x = c s. huberLoss's term is m (|d| - 0.5 m) with m =
 * min(|d|, a); s = sign(d) m and d - 0.5 s = sign(d) (|d| - 0.5 m) exactly (rounding is symmetric),
 * so ℓ has its bits (ℓ = -0 for d = -0, where the loop has +0: the same in a sum that starts at +0).
 */
const huber: PairLoss = {
  name: 'huberF32',
  constants: 2,
  scratch: () => null,
  setup: (p) => cat(get(p.a), simd.f64x2Neg, set(p.k[0]!), splat(0.5), set(p.k[1]!)),
  pair: (p) =>
    cat(
      get(p.x),
      get(p.y),
      simd.f64x2Sub,
      set(p.d),
      get(p.d),
      get(p.k[0]!),
      simd.f64x2Pmax,
      get(p.a),
      simd.f64x2Pmin,
      set(p.e),
      get(p.e),
      get(p.d),
      get(p.k[1]!),
      get(p.e),
      simd.f64x2Mul,
      simd.f64x2Sub,
      simd.f64x2Mul,
      set(p.l),
      get(p.c),
      get(p.e),
      simd.f64x2Mul,
      set(p.g),
    ),
};

/**
 * smoothL1Loss (a = β): d = |x - y|, ℓ = d < a ? (0.5 d) (d / a) : d - 0.5 a; with d = x - y,
 * c ∂ℓ/∂x = c (d > a ? 1 : d < -a ? -1 : a = 0 ? 0 : d / a); both from one q = (x - y) / a.
 */
const smoothL1: PairLoss = {
  name: 'smoothL1F32',
  constants: 5,
  scratch: () => null,
  setup: (p) =>
    cat(
      splat(0.5),
      get(p.a),
      simd.f64x2Mul,
      set(p.k[0]!),
      splat(0.5),
      set(p.k[1]!),
      splat(1),
      set(p.k[2]!),
      get(p.a),
      splat(0),
      simd.f64x2Eq,
      set(p.k[3]!),
      splat(-1),
      set(p.k[4]!),
    ),
  // one division for term and slope: q = d / a, whose magnitude is the term's |d| / a (division is
  // symmetric in sign), so ℓ = |d| < a ? (0.5 |d|) |q| : |d| - 0.5 a
  pair: (p) =>
    cat(
      get(p.x),
      get(p.y),
      simd.f64x2Sub,
      set(p.d),
      get(p.d),
      simd.f64x2Abs,
      set(p.e),
      get(p.d),
      get(p.a),
      simd.f64x2Div,
      set(p.g),
      get(p.k[1]!),
      get(p.e),
      simd.f64x2Mul,
      get(p.g),
      simd.f64x2Abs,
      simd.f64x2Mul,
      get(p.e),
      get(p.k[0]!),
      simd.f64x2Sub,
      get(p.e),
      get(p.a),
      simd.f64x2Lt,
      simd.bitselect,
      set(p.l),
      // the slope's d > a ? 1 : d < -a ? -1 : a = 0 ? 0 : d / a as pmin(pmax(q, -1), 1) (q rounds to at
      // least 1 where d > a, at most 1 where d <= a, and to ±Infinity for a = 0, d ≠ 0), with the NaN
      // of q = 0 / 0 (and of NaN d) made 0 where a = 0
      get(p.c),
      get(p.g),
      get(p.k[4]!),
      simd.f64x2Pmax,
      get(p.k[2]!),
      simd.f64x2Pmin,
      op.localTee(p.g),
      get(p.k[3]!),
      get(p.g),
      get(p.g),
      simd.f64x2Eq,
      simd.andnot,
      simd.andnot,
      simd.f64x2Mul,
      set(p.g),
    ),
};

/** The losses of the module, in export order. */
export const ELEMENTWISE_WASM_LOSSES = [mse, mae, huber, smoothL1].map((l) => l.name);

/**
 * The embedded module: one kernel per loss; 2 pages of memory (the staging blocks of wasmElementwise.ts
 * fit). Each kernel keeps its constants in the first bytes of the stages' scratch memory for the call
 * (octetLoop: a kernel runs to its end before another starts on that memory).
 */
export function elementwiseModule(): Uint8Array {
  return assemble(
    [mse, mae, huber, smoothL1].map((loss) => octetLoop(loss, STAGE_SCRATCH)),
    2,
  );
}
