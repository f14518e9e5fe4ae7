/**
 * The source of the WebAssembly SIMD (f64x2) kernels of the elementwise losses built on
 * log1p(e^-a) (softplus), which src/core/math/wasmSoftplus.ts loads: binaryCrossEntropyWithLogits
 * (bceLogitsBlock in src/core/losses/bceLogitsBlock.ts) and logCosh (logCoshParts
 * in src/core/losses/logCosh.ts), binaryCrossEntropy on hard targets and sigmoidFocalLoss (γ in
 * {0, 1, 2}; sigmoidFocalBlock.ts), in the loop of octetLoop.ts, each pair code cut into stages
 * (pairStages.ts: 5, 4, 6 and 5, the most that measured faster and kept each module under 4 KB). Each follows its TypeScript
 * operation for operation, with vexp, vexpm1 and vlog (vectorMath.ts) for expUnchecked,
 * expm1Unchecked and fastLogNormal, so both give the same bits; the tests check that. The
 * modules import their memory: they run on the memory of the elementwise kernels
 * (wasmElementwise.ts), so the arrays of kernelArrays are read in place. `npm run generate`
 * embeds them in src/core/math/wasmSoftplusBinary.ts, wasmBceBinary.ts, wasmLogCoshBinary.ts and
 * wasmSigmoidFocalBinary.ts.
 */
import { assemble, cat, op, simd, type Code } from './assembler';
import { octetLoop, type Pair, type PairLoss, type Scratch } from './octetLoop';
import { LOG_COSH } from '../../../src/core/losses/logCosh';
import { expm1Scratch, expScratch, logScratch, memoryConstants, vexp, vexpm1, vlog, vlogNearOne, type Constants, type ExpScratch, type Expm1Scratch, type LogScratch } from './vectorMath';

/** Where the module's tables sit in the shared memory: after the staging blocks of wasmElementwise.ts (x, y, out: 3 · 32 KiB). */
export const SOFTPLUS_EXP_TABLE_AT = 98304;
export const SOFTPLUS_LOG_TABLE_AT = 100352;
/** The constant vectors of each module (written by its `init`). */
export const SOFTPLUS_CONST_AT = 102400;
export const LOG_COSH_CONST_AT = 104448;
export const BCE_CONST_AT = 106496;
export const SIGMOID_FOCAL_CONST_AT = 108544;
/** What the kernels' stages hand on (octetLoop.ts), shared by the modules (a kernel runs to its end before another starts): to the end of the 2 pages. */
export const STAGE_SCRATCH: Scratch = { at: 110592, bytes: 131072 - 110592 };
/** The memory's least size in pages (the staging area: 2 pages). */
const PAGES = 2;
/** bceFromLogits' CANCELLED: below this fraction of its terms, the gradient is redone in double-double (by TypeScript). */
const CANCELLED = 2 ** -20;

const get = op.localGet;
const set = op.localSet;

/** Every constant is loaded from memory where it is used: the kernels have more live vectors than the 16 xmm registers. */
let constants = memoryConstants(SOFTPLUS_CONST_AT);
const k: Constants = (v) => constants.read(v);

/**
 * The steps the logit losses open with: z = -|x| into `z`, keep &= z >= -709 (false for NaN) and
 * 0 <= y <= 1, e = e^z into p.e (vexp), u = 1 + e into `u`.
 */
function logitOpening(p: Pair, z: number, ex: ExpScratch, u: number): Code {
  const [one, zero, low] = [k(1), k(0), k(-709)];
  return cat(
    get(p.x), simd.f64x2Abs, simd.f64x2Neg, set(z),
    get(p.keep), get(z), low, simd.f64x2Ge, simd.and, get(p.y), zero, simd.f64x2Ge, simd.and, get(p.y), one, simd.f64x2Le, simd.and, set(p.keep),
    vexp(z, ex, k, SOFTPLUS_EXP_TABLE_AT), set(p.e),
    one, get(p.e), simd.f64x2Add, set(u),
  );
}

/** log1p(e) = log(u + t) for u = 1 + e (p.e), left on the stack: t = (1 - (u - (u - 1))) + (e - (u - 1)) into `t` (u - 1 in p.d), then vlog. */
function log1pOfE(p: Pair, u: number, t: number, lg: LogScratch): Code {
  const one = k(1);
  return cat(
    get(u), one, simd.f64x2Sub, set(p.d),
    one, get(u), get(p.d), simd.f64x2Sub, simd.f64x2Sub, get(p.e), get(p.d), simd.f64x2Sub, simd.f64x2Add, set(t),
    vlog(u, t, lg, k, SOFTPLUS_LOG_TABLE_AT),
  );
}

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
  stages: 5,
  scratch: (L) => {
    const v = () => L.add(0x7b);
    return { ex: expScratch(L), lg: logScratch(L), z: v(), u: v(), t: v(), lp: v(), big: v(), small: v(), ge: v(), pa: v(), pb: v() };
  },
  setup: () => [],
  pair: (p, s) => {
    const [one, zero, cancelled] = [k(1), k(0), k(CANCELLED)];
    return cat(
      logitOpening(p, s.z, s.ex, s.u),
      log1pOfE(p, s.u, s.t, s.lg), set(s.lp),
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

interface BceScratch {
  lg: LogScratch;
  q: number;
  t: number;
  a: number;
}

/** The float32 1e-12 of PyTorch's gradient floor, and the least normal double (binaryCrossEntropy.ts's GRAD_EPSILON and MIN_NORMAL). */
const GRAD_EPSILON = Math.fround(1e-12);
const MIN_NORMAL = 2.2250738585072014e-308;

/**
 * binaryCrossEntropy on float32 probabilities x and hard targets y (its term and slope in
 * src/core/losses/binaryCrossEntropy.ts, logLikelihood's one-log branch): refused unless
 * 0 <= x <= 1, 0 <= y <= 1 and y (1 - y) = 0 (NaN fails each), q = 1 - x, t = (1 - y) ((1 - q) - x),
 * a = max(y x + (1 - y) q, 2^-1022), ℓ = -max(fastLogNormal(a, t), -100), slope
 * (c (x - y)) / max(x (1 - x), eps).
 */
const bce: PairLoss<BceScratch> = {
  name: 'bceF32',
  constants: 0,
  mayRefuse: true,
  unroll: 'pair',
  stages: 4,
  scratch: (L) => {
    const v = () => L.add(0x7b);
    return { lg: logScratch(L), q: v(), t: v(), a: v() };
  },
  setup: () => [],
  pair: (p, s) => {
    const [one, zero, least, floor, eps] = [k(1), k(0), k(MIN_NORMAL), k(-100), k(GRAD_EPSILON)];
    return cat(
      get(p.keep),
      get(p.x), zero, simd.f64x2Ge, simd.and, get(p.x), one, simd.f64x2Le, simd.and,
      get(p.y), zero, simd.f64x2Ge, simd.and, get(p.y), one, simd.f64x2Le, simd.and,
      get(p.y), one, get(p.y), simd.f64x2Sub, simd.f64x2Mul, zero, simd.f64x2Eq, simd.and,
      set(p.keep),
      one, get(p.x), simd.f64x2Sub, set(s.q),
      one, get(p.y), simd.f64x2Sub, one, get(s.q), simd.f64x2Sub, get(p.x), simd.f64x2Sub, simd.f64x2Mul, set(s.t),
      get(p.y), get(p.x), simd.f64x2Mul, one, get(p.y), simd.f64x2Sub, get(s.q), simd.f64x2Mul, simd.f64x2Add, set(s.a),
      least, get(s.a), get(s.a), least, simd.f64x2Lt, simd.bitselect, set(s.a),
      vlog(s.a, s.t, s.lg, k, SOFTPLUS_LOG_TABLE_AT), set(p.e),
      floor, get(p.e), get(p.e), floor, simd.f64x2Lt, simd.bitselect, simd.f64x2Neg, set(p.l),
      get(p.x), one, get(p.x), simd.f64x2Sub, simd.f64x2Mul, set(p.d),
      eps, get(p.d), get(p.d), eps, simd.f64x2Lt, simd.bitselect, set(p.d),
      get(p.c), get(p.x), get(p.y), simd.f64x2Sub, simd.f64x2Mul, get(p.d), simd.f64x2Div, set(p.g),
    );
  },
};

interface SigmoidFocalScratch {
  ex: ExpScratch;
  lg: LogScratch;
  u: number;
  big: number;
  small: number;
  ge: number;
  pp: number;
  nn: number;
  m: number;
  at: number;
  pw: number;
  bce: number;
  pa: number;
  pb: number;
}

/**
 * sigmoidFocalLoss on float32 logits x and targets y for γ = b in {0, 1, 2} and no weight
 * (sigmoidFocalBlock in src/core/losses/sigmoidFocalBlock.ts, its steps): z = -|x| (refused below
 * -709, and NaN, as is a target outside [0, 1]), e = expUnchecked(z), u = 1 + e, σ(x), σ(-x) =
 * p, n = x >= 0 ? 1/u, e/u : e/u, 1/u, log1p(e) = fastLogNormal(u, (1 - (u - (u - 1))) + (e - (u - 1))),
 * m = (1 - t) p + t n, α_t = α >= 0 ? α t + (1 - α)(1 - t) : 1, m^γ = γ = 2 ? m m : γ = 1 ? m : 1,
 * BCE = t ((x < 0 ? -x : 0) + log1p(e)) + (1 - t) ((x > 0 ? x : 0) + log1p(e)), ℓ = (α_t m^γ) BCE;
 * focus = γ = 0 or m = 0 ? 0 : ((γ (1 - 2t)) ((p n) / m)) BCE, g0 = (1 - t) p - t n, refused where
 * |g0| < 2^-20 ((1 - t) p + t n); slope ((c α_t) m^γ)(g0 + focus).
 */
const sigmoidFocal: PairLoss<SigmoidFocalScratch> = {
  name: 'sigmoidFocalF32',
  constants: 0,
  mayRefuse: true,
  unroll: 'pair',
  stages: 5,
  scratch: (L) => {
    const v = () => L.add(0x7b);
    return { ex: expScratch(L), lg: logScratch(L), u: v(), big: v(), small: v(), ge: v(), pp: v(), nn: v(), m: v(), at: v(), pw: v(), bce: v(), pa: v(), pb: v() };
  },
  setup: () => [],
  pair: (p, s) => {
    const [one, zero, cancelled] = [k(1), k(0), k(CANCELLED)];
    const oneMinusT = cat(one, get(p.y), simd.f64x2Sub);
    return cat(
      logitOpening(p, p.d, s.ex, s.u),
      one, get(s.u), simd.f64x2Div, set(s.big),
      get(p.e), get(s.u), simd.f64x2Div, set(s.small),
      get(p.x), zero, simd.f64x2Ge, set(s.ge),
      get(s.big), get(s.small), get(s.ge), simd.bitselect, set(s.pp),
      get(s.small), get(s.big), get(s.ge), simd.bitselect, set(s.nn),
      log1pOfE(p, s.u, p.d, s.lg), set(p.e),
      // m = (1 - t) p + t n
      oneMinusT, get(s.pp), simd.f64x2Mul, get(p.y), get(s.nn), simd.f64x2Mul, simd.f64x2Add, set(s.m),
      // α_t, the α >= 0 branch in every lane
      get(p.a), get(p.y), simd.f64x2Mul, one, get(p.a), simd.f64x2Sub, oneMinusT, simd.f64x2Mul, simd.f64x2Add, one, get(p.a), zero, simd.f64x2Ge, simd.bitselect, set(s.at),
      // m^γ for γ in {0, 1, 2}
      get(s.m), get(s.m), simd.f64x2Mul, get(s.m), one, get(p.b), k(1), simd.f64x2Eq, simd.bitselect, get(p.b), k(2), simd.f64x2Eq, simd.bitselect, set(s.pw),
      // BCE = t ((x < 0 ? -x : 0) + l) + (1 - t) ((x > 0 ? x : 0) + l)
      get(p.y), get(p.x), simd.f64x2Neg, get(p.x), zero, simd.f64x2Lt, simd.and, get(p.e), simd.f64x2Add, simd.f64x2Mul,
      oneMinusT, get(p.x), get(p.x), zero, simd.f64x2Gt, simd.and, get(p.e), simd.f64x2Add, simd.f64x2Mul,
      simd.f64x2Add, set(s.bce),
      get(s.at), get(s.pw), simd.f64x2Mul, get(s.bce), simd.f64x2Mul, set(p.l),
      // focus = γ = 0 or m = 0 ? 0 : ((γ (1 - 2t)) ((p n) / m)) BCE
      get(p.b), one, k(2), get(p.y), simd.f64x2Mul, simd.f64x2Sub, simd.f64x2Mul, get(s.pp), get(s.nn), simd.f64x2Mul, get(s.m), simd.f64x2Div, simd.f64x2Mul, get(s.bce), simd.f64x2Mul,
      get(p.b), zero, simd.f64x2Eq, get(s.m), zero, simd.f64x2Eq, simd.or, simd.andnot, set(p.d),
      // g0 = (1 - t) p - t n, keep &= !(|g0| < 2^-20 (pa + pb))
      oneMinusT, get(s.pp), simd.f64x2Mul, set(s.pa),
      get(p.y), get(s.nn), simd.f64x2Mul, set(s.pb),
      get(s.pa), get(s.pb), simd.f64x2Sub, set(p.g),
      get(p.keep), get(p.g), simd.f64x2Abs, cancelled, get(s.pa), get(s.pb), simd.f64x2Add, simd.f64x2Mul, simd.f64x2Lt, simd.andnot, set(p.keep),
      get(p.c), get(s.at), simd.f64x2Mul, get(s.pw), simd.f64x2Mul, get(p.g), get(p.d), simd.f64x2Add, simd.f64x2Mul, set(p.g),
    );
  },
};

interface LogCoshScratch {
  em: Expm1Scratch;
  lg: LogScratch;
  dd: number;
  small: number;
  u: number;
  v: number;
  z: number;
  w: number;
  t: number;
  h: number;
  n: number;
  q: number;
}

/**
 * logCosh on float32 x and y (logCoshParts in src/core/losses/logCosh.ts, every
 * form computed, one picked per lane): d = |x - y|, small = d < BRANCH, u = max(small ? -d : -2d, -708)
 * (pmax keeps NaN), e = e^u and v = e^u - 1 (vexpm1);
 * term: z = small ? (v v) / (2 e) : e, l = log1p(z) (w = 1 + z, fastLogNormal(w, (1 - (w - (w - 1))) + (z - (w - 1)))),
 * h = (0.5 d) d, series = h + (h h)(C2 + h (C3 + ... + h C8)), large = (d - LN2) + (l - LN2_LO),
 * ℓ = d < SERIES ? series : small ? l : large;
 * slope: n = (0 - 2v) - v v, q = (small ? n : 2e) / (small ? (d < SLOPE_SPLIT ? 2 - n : 1 + e e) : 1 + e),
 * th = small ? q : 1 - q, c (x - y < 0 ? -th : th).
 */
const logCosh: PairLoss<LogCoshScratch> = {
  name: 'logCoshF32',
  constants: 0,
  unroll: 'pair',
  stages: 6,
  scratch: (L) => {
    const v = () => L.add(0x7b);
    return { em: expm1Scratch(L), lg: logScratch(L), dd: v(), small: v(), u: v(), v: v(), z: v(), w: v(), t: v(), h: v(), n: v(), q: v() };
  },
  setup: () => [],
  pair: (p, s) => {
    const { LN2, LN2_LO, SERIES, BRANCH, SLOPE_SPLIT, C } = LOG_COSH;
    const d = p.d;
    const e = p.e;
    const sel = (a: Code, b: Code, mask: Code) => cat(a, b, mask, simd.bitselect);
    // the series' Horner form h (C_i + h (...)), innermost C8
    let horner: Code = k(C[C.length - 1]!);
    for (let i = C.length - 2; i >= 0; i--) horner = cat(k(C[i]!), get(s.h), horner, simd.f64x2Mul, simd.f64x2Add);
    return cat(
      get(p.x), get(p.y), simd.f64x2Sub, set(s.dd),
      get(s.dd), simd.f64x2Abs, set(d),
      get(d), k(BRANCH), simd.f64x2Lt, set(s.small),
      sel(cat(get(d), simd.f64x2Neg), cat(k(-2), get(d), simd.f64x2Mul), get(s.small)), k(-708), simd.f64x2Pmax, set(s.u),
      vexpm1(s.u, s.em, k, SOFTPLUS_EXP_TABLE_AT, e, s.v),
      // term
      sel(cat(get(s.v), get(s.v), simd.f64x2Mul, k(2), get(e), simd.f64x2Mul, simd.f64x2Div), get(e), get(s.small)), set(s.z),
      k(1), get(s.z), simd.f64x2Add, set(s.w),
      get(s.w), k(1), simd.f64x2Sub, set(s.t),
      k(1), get(s.w), get(s.t), simd.f64x2Sub, simd.f64x2Sub, get(s.z), get(s.t), simd.f64x2Sub, simd.f64x2Add, set(s.t),
      vlogNearOne(s.w, s.t, s.lg, k, SOFTPLUS_LOG_TABLE_AT), set(s.z),
      k(0.5), get(d), simd.f64x2Mul, get(d), simd.f64x2Mul, set(s.h),
      sel(
        cat(get(s.h), get(s.h), get(s.h), simd.f64x2Mul, horner, simd.f64x2Mul, simd.f64x2Add),
        sel(get(s.z), cat(get(d), k(LN2), simd.f64x2Sub, get(s.z), k(LN2_LO), simd.f64x2Sub, simd.f64x2Add), get(s.small)),
        cat(get(d), k(SERIES), simd.f64x2Lt),
      ),
      set(p.l),
      // slope
      k(0), k(2), get(s.v), simd.f64x2Mul, simd.f64x2Sub, get(s.v), get(s.v), simd.f64x2Mul, simd.f64x2Sub, set(s.n),
      sel(get(s.n), cat(k(2), get(e), simd.f64x2Mul), get(s.small)),
      sel(
        sel(cat(k(2), get(s.n), simd.f64x2Sub), cat(k(1), get(e), get(e), simd.f64x2Mul, simd.f64x2Add), cat(get(d), k(SLOPE_SPLIT), simd.f64x2Lt)),
        cat(k(1), get(e), simd.f64x2Add),
        get(s.small),
      ),
      simd.f64x2Div, set(s.q),
      sel(get(s.q), cat(k(1), get(s.q), simd.f64x2Sub), get(s.small)), set(s.q),
      get(p.c),
      sel(cat(get(s.q), simd.f64x2Neg), get(s.q), cat(get(s.dd), k(0), simd.f64x2Lt)),
      simd.f64x2Mul, set(p.g),
    );
  },
};

/** The losses of the modules, in order. */
export const SOFTPLUS_WASM_LOSSES = [bceLogits.name, bce.name, logCosh.name, sigmoidFocal.name];

/**
 * The embedded modules, one kernel each (two would pass the 4 KB that browsers compile
 * synchronously), on an imported memory of at least 2 pages, each with its `init`.
 */
function moduleOf<S>(loss: PairLoss<S>, constAt: number): Uint8Array {
  constants = memoryConstants(constAt);
  const kernel = octetLoop(loss, STAGE_SCRATCH);
  return assemble([kernel, constants.init()], PAGES, { importMemory: true });
}

export const softplusModule = (): Uint8Array => moduleOf(bceLogits, SOFTPLUS_CONST_AT);
export const bceModule = (): Uint8Array => moduleOf(bce, BCE_CONST_AT);
export const logCoshModule = (): Uint8Array => moduleOf(logCosh, LOG_COSH_CONST_AT);
export const sigmoidFocalModule = (): Uint8Array => moduleOf(sigmoidFocal, SIGMOID_FOCAL_CONST_AT);
