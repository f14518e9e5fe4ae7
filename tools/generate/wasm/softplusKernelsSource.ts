/**
 * The source of the WebAssembly SIMD (f64x2) kernels of the elementwise losses built on
 * log1p(e^-a) (softplus), which src/core/math/wasmSoftplus.ts loads: binaryCrossEntropyWithLogits
 * (bceLogitsBlock in src/core/losses/bceLogitsBlock.ts), in the loop of octetLoop.ts. Each follows
 * its TypeScript block operation for operation, with vexp and vlog (vectorMath.ts) for
 * expUnchecked and fastLogNormal, so both give the same bits; the tests check that. The module
 * imports its memory: it runs on the memory of the elementwise kernels (wasmElementwise.ts), so
 * the arrays of kernelArrays are read in place. `npm run generate` embeds it in
 * src/core/math/wasmSoftplusBinary.ts.
 */
import { assemble, cat, op, simd } from './assembler';
import { octetLoop, type PairLoss } from './octetLoop';
import { expScratch, logScratch, memoryConstants, vexp, vlog, type Constants, type ExpScratch, type LogScratch } from './vectorMath';

/** Where the module's tables sit in the shared memory: after the staging blocks of wasmElementwise.ts (x, y, out: 3 · 32 KiB). */
export const SOFTPLUS_EXP_TABLE_AT = 98304;
export const SOFTPLUS_LOG_TABLE_AT = 100352;
/** The constant vectors (written by the module's `init`). */
export const SOFTPLUS_CONST_AT = 102400;
/** The memory's least size in pages (the staging area: 2 pages). */
const PAGES = 2;
/** bceFromLogits' CANCELLED: below this fraction of its terms, the gradient is redone in double-double (by TypeScript). */
const CANCELLED = 2 ** -20;

const get = op.localGet;
const set = op.localSet;

/** Every constant is loaded from memory where it is used: the kernels have more live vectors than the 16 xmm registers. */
let constants = memoryConstants(SOFTPLUS_CONST_AT);
const k: Constants = (v) => constants.read(v);

interface BceLogitsScratch {
  ex: ExpScratch;
  lg: LogScratch;
  z: number;
  u: number;
  t: number;
  lp: number;
  big: number;
  small: number;
  ge: number;
  pa: number;
  pb: number;
}

/**
 * binaryCrossEntropyWithLogits on float32 logits x and targets y, a = q (posWeight), b = ws (the
 * scalar weight), c = s ws: bceLogitsBlock's steps, z = -|x| (refused below -709, and NaN, as is a
 * target outside [0, 1]),
 * e = expUnchecked(z), u = 1 + e, log1p(e) = fastLogNormal(u, (1 - (u - (u - 1))) + (e - (u - 1))),
 * ℓ = ws ((q y) neg + (1 - y) pos) with neg = (x < 0 ? -x : 0) + log1p(e), pos = (x > 0 ? x : 0) + log1p(e);
 * σ(x), σ(-x) = x >= 0 ? 1/u, e/u : e/u, 1/u; g = (1 - y) σ(x) - (q y) σ(-x), refused where
 * |g| < 2^-20 ((1 - y) σ(x) + (q y) σ(-x)); slope c g.
 */
const bceLogits: PairLoss<BceLogitsScratch> = {
  name: 'bceLogitsF32',
  constants: 0,
  mayRefuse: true,
  unroll: 'pair',
  scratch: (L) => {
    const v = () => L.add(0x7b);
    return { ex: expScratch(L), lg: logScratch(L), z: v(), u: v(), t: v(), lp: v(), big: v(), small: v(), ge: v(), pa: v(), pb: v() };
  },
  setup: () => [],
  pair: (p, s) => {
    const [one, zero, low, cancelled] = [k(1), k(0), k(-709), k(CANCELLED)];
    return cat(
      get(p.x), simd.f64x2Abs, simd.f64x2Neg, set(s.z),
      // keep &= z >= -709 (false for NaN) and 0 <= y <= 1
      get(p.keep), get(s.z), low, simd.f64x2Ge, simd.and, get(p.y), zero, simd.f64x2Ge, simd.and, get(p.y), one, simd.f64x2Le, simd.and, set(p.keep),
      vexp(s.z, s.ex, k, SOFTPLUS_EXP_TABLE_AT), set(p.e),
      // u = 1 + e, t = (1 - (u - (u - 1))) + (e - (u - 1)), lp = log(u + t)
      one, get(p.e), simd.f64x2Add, set(s.u),
      get(s.u), one, simd.f64x2Sub, set(p.d),
      one, get(s.u), get(p.d), simd.f64x2Sub, simd.f64x2Sub, get(p.e), get(p.d), simd.f64x2Sub, simd.f64x2Add, set(s.t),
      vlog(s.u, s.t, s.lg, k, SOFTPLUS_LOG_TABLE_AT), set(s.lp),
      // ℓ = ws ((q y) neg + (1 - y) pos)
      get(p.b),
      get(p.a), get(p.y), simd.f64x2Mul,
      get(p.x), simd.f64x2Neg, get(p.x), zero, simd.f64x2Lt, simd.and, get(s.lp), simd.f64x2Add,
      simd.f64x2Mul,
      one, get(p.y), simd.f64x2Sub,
      get(p.x), get(p.x), zero, simd.f64x2Gt, simd.and, get(s.lp), simd.f64x2Add,
      simd.f64x2Mul,
      simd.f64x2Add, simd.f64x2Mul, set(p.l),
      // σ(x) and σ(-x): 1/u and e/u by the sign of x
      one, get(s.u), simd.f64x2Div, set(s.big),
      get(p.e), get(s.u), simd.f64x2Div, set(s.small),
      get(p.x), zero, simd.f64x2Ge, set(s.ge),
      // pa = (1 - y) σ(x), pb = (q y) σ(-x), g = pa - pb
      one, get(p.y), simd.f64x2Sub, get(s.big), get(s.small), get(s.ge), simd.bitselect, simd.f64x2Mul, set(s.pa),
      get(p.a), get(p.y), simd.f64x2Mul, get(s.small), get(s.big), get(s.ge), simd.bitselect, simd.f64x2Mul, set(s.pb),
      get(s.pa), get(s.pb), simd.f64x2Sub, set(p.g),
      // keep &= !(|g| < 2^-20 (pa + pb))
      get(p.keep), get(p.g), simd.f64x2Abs, cancelled, get(s.pa), get(s.pb), simd.f64x2Add, simd.f64x2Mul, simd.f64x2Lt, simd.andnot, set(p.keep),
      get(p.c), get(p.g), simd.f64x2Mul, set(p.g),
    );
  },
};

/** The losses of the module, in export order. */
export const SOFTPLUS_WASM_LOSSES = [bceLogits.name];

/** The embedded module: its kernels on an imported memory of at least 2 pages. */
export function softplusModule(): Uint8Array {
  constants = memoryConstants(SOFTPLUS_CONST_AT);
  const kernels = [octetLoop(bceLogits)];
  return assemble([...kernels, constants.init()], PAGES, { importMemory: true });
}
