import { fastExp } from '../math/fastExp';
import { fastLog1p } from '../math/fastLog';
import { twoSumError as twoSumErrorImport } from '../math/twoSum';
import type { FloatArray } from '../tensor/types';
import { ctcFrame, type CtcFrame } from './ctcWasm';

/**
 * The CTC forward-backward recursion for one sample, over flat float64 buffers (`ctcWork`,
 * reused from call to call). The target l of length L is extended with blanks between and
 * around its labels, l' of length S = 2L + 1: state s holds the blank at even s and l_(s-1)/2 at
 * odd s. With y_t(k) = logProbs[t][n][k], the forward pass in log space:
 *
 *   α_t(s) = y_t(l'_s) + log(e^α_{t-1}(s) + e^α_{t-1}(s-1) [+ e^α_{t-1}(s-2)]),   log P = log(e^α_{T_n-1}(S-1) + e^α_{T_n-1}(S-2))
 *
 * the bracketed term only where s - 2 → s skips a blank between two different labels; α_0 starts
 * in states 0 and 1. Each log-sum is shifted by its largest term m, whose exponential is 1
 * exactly: m + log1p(the others' e^(x - m)), so a confident path's α of -1e-13 keeps every digit
 * (PyTorch's log(Σ e^(x - m)) loses them: its float64 loss on such inputs is off by 1e-5
 * relative, see test/fixtures/torch/ctcLoss.json's `exact`).
 *
 * α is kept as a double-double, alpha + alphaLo: y + m and that + log1p(...) are TwoSums whose
 * errors, with m's own low part, make the low part, and each difference x - m counts the low
 * parts too. Rounded to one float64 each frame, α (about -log P by the end) would drift by half
 * an ulp of its size per frame: over 1000 frames with α near -114 the posteriors, e^(a difference
 * of such α), came out 1.1e-11 from exact and the loss 1.1e-15 (PyTorch float64 9.3e-16); with
 * the low part, 1.1e-14 and 5.8e-17 (test/fixtures/accuracy/ctcLoss.json, the long sequences).
 *
 * The gradient is d(-log P)/d y_t(k) = -Σ_{s: l'_s = k} γ_t(s), γ_t(s) the posterior probability
 * of state s at frame t. Rather than a second log-space recursion for β (γ = e^(α + β - log P),
 * whose exponent carries the rounding of numbers as large as log P), the forward pass keeps each
 * predecessor's share of each state's sum, w_t(s ← u) = e^(α_{t-1}(u) - m) / Σ (in [0, 1]; the
 * shares of a state sum to 1), and the backward pass smooths, in probability space:
 *
 *   γ_{T_n-1}(s) = e^(α_{T_n-1}(s)) / P,   γ_t(u) = Σ_{s ∈ {u, u+1, u+2}} γ_{t+1}(s) w_{t+1}(s ← u)
 *
 * (since γ_t(u) = α_t(u) β_t(u) / P and β_t(u) = Σ_s e^(y_{t+1}(l'_s)) β_{t+1}(s)): no
 * exponential or logarithm, and relative errors that grow by a few ulp per frame. Only states
 * that can be reached by frame t and can still reach the end are computed:
 * S - 2(T_n - t) <= s <= 2t + 1 (PyTorch's bounds too); the rest are 0 in γ.
 */

// module-local bindings: a CommonJS import is a getter V8 will not inline into the loops
const exp = fastExp;
const log1p = fastLog1p;
const twoSumError = twoSumErrorImport;
const NEG = -Infinity;

/** The buffers of the recursion, for the longest input and target of a call. */
export interface CtcWork {
  /** Two rows of W = 2L + 3 (two -Infinity pads, then α_t(0 .. S-1)): frames t - 1 and t. */
  alpha: Float64Array;
  /** The low parts of alpha (α = alpha + alphaLo, a double-double), laid out as alpha; 0 where alpha is -Infinity. */
  alphaLo: Float64Array;
  /** One row: y_t(l'_s). */
  emit: Float64Array;
  /**
   * Three planes of T rows of W (`plane` = T W apart): at j · plane + tW + s, state s's share
   * from s - j at frame t (0 where there is none).
   */
  share: Float64Array;
  /** The distance between the share planes: T W for this call's T. */
  plane: number;
  /** Two rows of W: γ_t(0 .. S-1) then two 0 pads. */
  gamma: Float64Array;
  /** l'_s. */
  ext: Int32Array;
  /** 1 where state s can be entered from s - 2 (odd s >= 3 with l'_s != l'_(s-2)); 0 past S. */
  skip: Uint8Array;
  /** The WebAssembly frames (ctcWasm.ts), whose memory then holds alpha, alphaLo, emit, share and gamma; null where they do not run. */
  frame: CtcFrame | null;
  /** One frame's posterior mass per class. */
  acc: Float64Array;
}

/** The arrays of alpha, alphaLo, emit, share and gamma when the WebAssembly frame does not run. */
const own = { alpha: new Float64Array(0), alphaLo: new Float64Array(0), emit: new Float64Array(0), share: new Float64Array(0), gamma: new Float64Array(0) };

const cached: CtcWork = {
  alpha: new Float64Array(0),
  alphaLo: new Float64Array(0),
  emit: new Float64Array(0),
  share: new Float64Array(0),
  plane: 0,
  gamma: new Float64Array(0),
  ext: new Int32Array(0),
  skip: new Uint8Array(0),
  frame: null,
  acc: new Float64Array(0),
};

/**
 * The buffers for inputs of up to T frames, targets of up to maxL labels and C classes: one set
 * per module, grown when a call needs more, so a training loop's calls allocate nothing (the
 * recursion never calls out, so no other call uses them meanwhile). `acc` is left all 0.
 */
export function ctcWork(T: number, maxL: number, C: number): CtcWork {
  const W = 2 * maxL + 3;
  const w = cached;
  w.plane = T * W;
  if (w.ext.length < W) {
    w.ext = new Int32Array(W);
    w.skip = new Uint8Array(W);
  }
  if (w.acc.length < C) w.acc = new Float64Array(C);
  // alpha, emit and share in the kernel's memory where it runs, else in arrays of this module
  const frame = (w.frame = ctcFrame(W, w.plane));
  const at = frame ?? own;
  if (!frame) {
    if (own.share.length < 3 * w.plane) own.share = new Float64Array(3 * w.plane);
    if (own.alpha.length < 2 * W) {
      own.alpha = new Float64Array(2 * W);
      own.alphaLo = new Float64Array(2 * W);
      own.emit = new Float64Array(W);
      own.gamma = new Float64Array(2 * W);
    }
  }
  w.alpha = at.alpha;
  w.alphaLo = at.alphaLo;
  w.emit = at.emit;
  w.share = at.share;
  w.gamma = at.gamma;
  return w;
}

/** Fills `ext` and `skip` for the target `labels[off .. off + L)`. */
export function ctcExtend(w: CtcWork, labels: Int32Array, off: number, L: number, blank: number): void {
  const S = 2 * L + 1;
  const { ext, skip } = w;
  for (let s = 0; s < S; s++) ext[s] = s & 1 ? labels[off + (s >> 1)]! : blank;
  skip.fill(0, 0, S + 2);
  for (let s = 3; s < S; s += 2) skip[s] = ext[s] !== ext[s - 2] ? 1 : 0;
  if (w.frame) w.frame.setSkip(skip, S + 2);
}

/**
 * The forward pass of the sample whose frame t, class k is `x[at + t * stride + k]`, over its
 * `Ti` >= 1 frames (ctcExtend first); returns -log P, its loss. With `shares`, keeps what
 * ctcBackward reads. Each frame's loop is a function of its own: V8 then optimizes it whole,
 * where a loop compiled on stack replacement kept falling back to the interpreter at its end.
 */
export function ctcForward(w: CtcWork, x: FloatArray, at: number, stride: number, L: number, Ti: number, shares: boolean): number {
  const S = 2 * L + 1;
  const W = S + 2;
  const { alpha, alphaLo, emit, ext } = w;
  alpha.fill(NEG, 0, 2 * W);
  alphaLo.fill(0, 0, 2 * W);
  gather(emit, x, at, ext, S);
  alpha[2] = emit[0]!;
  if (S > 1) alpha[3] = emit[1]!;
  let cur = 0;
  for (let t = 1; t < Ti; t++) {
    gather(emit, x, at + t * stride, ext, S);
    const next = W - cur;
    const lo = Math.max(0, S - 2 * (Ti - t));
    const hi = Math.min(S - 1, 2 * t + 1);
    // the WebAssembly frame, or this one where it is off or leaves the frame (a difference in fastExp's subnormal range)
    if (!(w.frame && w.frame.alphaRow(cur, next, W, t * W, lo, hi, shares))) alphaRow(w, cur, next, W, t * W, lo, hi, shares);
    cur = next;
  }
  // log P from the last frame's two final states; their posteriors start the backward pass
  const a = alpha[cur + 2 + S - 1]!;
  const b = S > 1 ? alpha[cur + 2 + S - 2]! : NEG;
  const aLo = alphaLo[cur + 2 + S - 1]!;
  const bLo = S > 1 ? alphaLo[cur + 2 + S - 2]! : 0;
  const m = a > b ? a : b;
  if (m === NEG) return Infinity;
  const mLo = a > b ? aLo : bLo;
  const e = a > b ? exp(b - a + (bLo - aLo)) : exp(a - b + (aLo - bLo));
  if (shares) {
    const { gamma } = w;
    gamma.fill(0, 0, 2 * W);
    const z = 1 / (1 + e);
    gamma[S - 1] = a > b ? z : e * z;
    if (S > 1) gamma[S - 2] = a > b ? e * z : z;
  }
  // -(m + mLo + log1p(e)), m + log1p(e) by TwoSum
  const lg = log1p(e);
  const t = m + lg;
  return -(t + (twoSumError(m, lg, t) + mLo));
}

function gather(emit: Float64Array, x: FloatArray, r: number, ext: Int32Array, S: number): void {
  for (let s = 0; s < S; s++) emit[s] = x[r + ext[s]!]!;
}

/**
 * α_t(lo .. hi) into the row at `next` from α_{t-1} in the row at `cur` (the rest of the row
 * -Infinity); with `shares`, state s's shares at j · plane + base + s.
 */
function alphaRow(w: CtcWork, cur: number, next: number, W: number, base: number, lo: number, hi: number, shares: boolean): void {
  const { alpha, alphaLo, emit, skip, share, plane } = w;
  alpha.fill(NEG, next, next + W);
  alphaLo.fill(0, next, next + W);
  for (let s = lo; s <= hi; s++) {
    const p = cur + 2 + s;
    const a = alpha[p]!;
    const b = alpha[p - 1]!;
    const c = skip[s] === 1 ? alpha[p - 2]! : NEG;
    const aLo = alphaLo[p]!;
    const bLo = alphaLo[p - 1]!;
    const cLo = skip[s] === 1 ? alphaLo[p - 2]! : 0;
    // the largest term (one of them, if tied) counts e^0 = 1, the others e^(x - m) (-Infinity's 0);
    // q sums those others, so 1 + q keeps no rounding of theirs
    let m: number;
    let mLo: number;
    let ea = 1;
    let eb = 1;
    let ec = 1;
    let q: number;
    if (a >= b && a >= c) {
      m = a;
      mLo = aLo;
      eb = exp(b - m + (bLo - mLo));
      ec = c === NEG ? 0 : exp(c - m + (cLo - mLo));
      q = eb + ec;
    } else if (b >= c) {
      m = b;
      mLo = bLo;
      ea = exp(a - m + (aLo - mLo));
      ec = c === NEG ? 0 : exp(c - m + (cLo - mLo));
      q = ea + ec;
    } else {
      m = c;
      mLo = cLo;
      ea = exp(a - m + (aLo - mLo));
      eb = exp(b - m + (bLo - mLo));
      q = ea + eb;
    }
    const o = base + s;
    if (m === NEG) {
      // not reachable yet: α stays -Infinity, and it passes no share on
      if (shares) share[o] = share[o + plane] = share[o + 2 * plane] = 0;
      continue;
    }
    // α = (y + m) + log1p(q) + mLo as a double-double: y + m and that + log1p(q) by TwoSum, their
    // errors and mLo the low part (not renormalized: it stays within a few ulp of α per frame, far
    // below what the next frame's differences need); a sum that overflows to -Infinity keeps low 0
    const y = emit[s]!;
    const l = log1p(q);
    const ym = y + m;
    const t = ym + l;
    alpha[next + 2 + s] = t;
    alphaLo[next + 2 + s] = t - t === 0 ? twoSumError(y, m, ym) + twoSumError(ym, l, t) + mLo : 0;
    if (shares) {
      const z = 1 / (1 + q);
      share[o] = ea * z;
      share[o + plane] = eb * z;
      share[o + 2 * plane] = ec * z;
    }
  }
}

/**
 * The backward pass after ctcForward(..., shares = true) of the same sample: writes
 * `scale` · d nll / d y_t(k) = -scale Σ_{s: l'_s = k} γ_t(s) into `out` (laid out as x) for the
 * classes of the target at frames t < Ti; every other element of the sample is left as it is
 * (0: out comes zeroed).
 */
export function ctcBackward(w: CtcWork, out: FloatArray, at: number, stride: number, L: number, Ti: number, scale: number): void {
  const S = 2 * L + 1;
  const W = S + 2;
  // γ_{Ti-1} is in row 0 (ctcForward); each earlier frame's goes into the other row
  let cur = 0;
  for (let t = Ti - 1; t >= 0; t--) {
    const lo = Math.max(0, S - 2 * (Ti - t));
    const hi = Math.min(S - 1, 2 * t + 1);
    if (t < Ti - 1) {
      const next = W - cur;
      if (w.frame) w.frame.gammaRow(cur, next, W, (t + 1) * W, lo, hi);
      else gammaRow(w, cur, next, W, (t + 1) * W, lo, hi);
      cur = next;
    }
    gradRow(w, cur, lo, hi, out, at + t * stride, scale);
  }
}

/** γ_t(lo .. hi) into the row at `next` from γ_{t+1} in the row at `cur` and frame t + 1's shares at `o` (of each plane). */
function gammaRow(w: CtcWork, cur: number, next: number, W: number, o: number, lo: number, hi: number): void {
  const { gamma, share, plane } = w;
  gamma.fill(0, next, next + W);
  for (let u = lo; u <= hi; u++) {
    const j = cur + u;
    const k = o + u;
    // u passes on to u (share 0 of u), u + 1 (share 1 of u + 1), u + 2 (share 2 of u + 2)
    gamma[next + u] = gamma[j]! * share[k]! + gamma[j + 1]! * share[k + plane + 1]! + gamma[j + 2]! * share[k + 2 * plane + 2]!;
  }
}

/** Frame t's gradient from γ_t (the row at `cur`), written at `out[r + k]`. */
function gradRow(w: CtcWork, cur: number, lo: number, hi: number, out: FloatArray, r: number, scale: number): void {
  const { gamma, ext, acc } = w;
  for (let s = lo; s <= hi; s++) {
    const k = ext[s]!;
    acc[k] = acc[k]! + gamma[cur + s]!;
  }
  // each class once, at its first state (acc then cleared, so its later states skip it); a class
  // whose mass is 0 stays as out has it (0)
  for (let s = lo; s <= hi; s++) {
    const k = ext[s]!;
    const a = acc[k]!;
    if (a !== 0) {
      out[r + k] = a > 0 ? -scale * a : 0;
      acc[k] = 0;
    }
  }
}
