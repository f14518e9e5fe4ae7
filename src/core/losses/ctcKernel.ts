import { fastExp } from '../math/fastExp';
import { fastLog1p } from '../math/fastLog';
import type { FloatArray } from '../tensor/types';

/**
 * The CTC forward-backward recursion for one sample, in log space, over flat float64 buffers
 * allocated once per call (`ctcWork`). The target l of length L is extended with blanks between
 * and around its labels, l' of length S = 2L + 1: state s holds the blank at even s and l_(s-1)/2 at
 * odd s. With y_t(k) = logProbs[t][n][k]:
 *
 *   α_t(s) = y_t(l'_s) + log(e^α_{t-1}(s) + e^α_{t-1}(s-1) [+ e^α_{t-1}(s-2)])
 *   β_t(s) = log(e^(y+β)_{t+1}(s) + e^(y+β)_{t+1}(s+1) [+ e^(y+β)_{t+1}(s+2)])
 *
 * the bracketed term only where s - 2 → s skips a blank between two different labels; α_0 starts
 * in states 0 and 1, β_{T_n-1} is 0 in states S-1 and S-2 (β excludes frame t's own emission, so
 * α_t(s) + β_t(s) is the log-probability of the paths through s at t). Then
 *
 *   log P = log(e^α_{T_n-1}(S-1) + e^α_{T_n-1}(S-2)),   d(-log P)/d y_t(k) = -Σ_{s: l'_s = k} e^(α_t(s) + β_t(s) - log P).
 *
 * Only states that can be reached by frame t and can still reach the end are computed:
 * S - 2(T_n - t) <= s <= 2t + 1 (PyTorch's bounds too).
 */

// module-local bindings: a CommonJS import is a getter V8 will not inline into the loops
const exp = fastExp;
const log1p = fastLog1p;
const NEG = -Infinity;

/** The buffers of the recursion, sized for the longest input and target of a call. */
export interface CtcWork {
  /** T rows of W = 2L + 3: two -Infinity pads, then α_t(0 .. S-1). */
  alpha: Float64Array;
  /** The same layout: y_t(l'_s). */
  emit: Float64Array;
  /** Two rows of W: β_t(0 .. S-1) then two -Infinity pads. */
  beta: Float64Array;
  /** l'_s. */
  ext: Int32Array;
  /** 1 where state s can be entered from s - 2 (odd s >= 3 with l'_s != l'_(s-2)); 0 past S. */
  skip: Uint8Array;
  /** One frame's posterior mass per class. */
  acc: Float64Array;
}

export function ctcWork(T: number, maxL: number, C: number): CtcWork {
  const W = 2 * maxL + 3;
  return {
    alpha: new Float64Array(T * W),
    emit: new Float64Array(T * W),
    beta: new Float64Array(2 * W),
    ext: new Int32Array(W),
    skip: new Uint8Array(W),
    acc: new Float64Array(C),
  };
}

/**
 * log(e^a + e^b) without overflow: max + log1p(e^-|a-b|); -Infinity when both are.
 */
function logAdd(a: number, b: number): number {
  const m = a > b ? a : b;
  const d = a > b ? b - a : a - b;
  // d is -Infinity when one term is, NaN when both are: the sum is then the max
  return d > NEG ? m + log1p(exp(d)) : m;
}

/** log(e^a + e^b + e^c): the largest term is e^0 = 1 exactly, so max + log1p(sum of the other two). */
function logAdd3(a: number, b: number, c: number): number {
  // m the largest, u and v the other two
  let m = a;
  let u = b;
  let v = c;
  if (b > m) {
    m = b;
    u = a;
  }
  if (c > m) {
    v = m;
    m = c;
  }
  return m === NEG ? m : m + log1p(exp(u - m) + exp(v - m));
}

/** Fills `ext` and `skip` for the target `labels[off .. off + L)`. */
export function ctcExtend(w: CtcWork, labels: Int32Array, off: number, L: number, blank: number): void {
  const S = 2 * L + 1;
  const { ext, skip } = w;
  for (let s = 0; s < S; s++) ext[s] = s & 1 ? labels[off + (s >> 1)]! : blank;
  skip.fill(0, 0, S + 2);
  for (let s = 3; s < S; s += 2) skip[s] = ext[s] !== ext[s - 2] ? 1 : 0;
}

/**
 * The forward pass of the sample whose frame t, class k is `x[at + t * stride + k]`, over its
 * `Ti` >= 1 frames (ctcExtend first); returns -log P, its loss.
 */
export function ctcForward(w: CtcWork, x: FloatArray, at: number, stride: number, L: number, Ti: number): number {
  const S = 2 * L + 1;
  const W = S + 2;
  const { alpha, emit, ext, skip } = w;
  // the sample's emissions, gathered once: the loops below read float64 only
  for (let t = 0; t < Ti; t++) {
    const r = at + t * stride;
    const o = t * W + 2;
    for (let s = 0; s < S; s++) emit[o + s] = x[r + ext[s]!]!;
  }
  alpha.fill(NEG, 0, Ti * W);
  alpha[2] = emit[2]!;
  if (S > 1) alpha[3] = emit[3]!;
  for (let t = 1; t < Ti; t++) {
    const lo = Math.max(0, S - 2 * (Ti - t));
    const hi = Math.min(S - 1, 2 * t + 1);
    const o = t * W + 2;
    const p = o - W;
    for (let s = lo; s <= hi; s++) {
      const r = skip[s] === 1 ? logAdd3(alpha[p + s]!, alpha[p + s - 1]!, alpha[p + s - 2]!) : logAdd(alpha[p + s]!, alpha[p + s - 1]!);
      alpha[o + s] = emit[o + s]! + r;
    }
  }
  const e = (Ti - 1) * W + 2 + S - 1;
  return -(S > 1 ? logAdd(alpha[e]!, alpha[e - 1]!) : alpha[e]!);
}

/**
 * The backward pass after ctcForward (same sample, `nll` its result): writes
 * `scale` · d nll / d y_t(k) into `out` (laid out as x) for the classes of the target at frames
 * t < Ti; every other element of the sample is left as it is (0: out comes zeroed).
 */
export function ctcBackward(w: CtcWork, out: FloatArray, at: number, stride: number, L: number, Ti: number, nll: number, scale: number): void {
  const S = 2 * L + 1;
  const W = S + 2;
  const { alpha, emit, beta, ext, skip, acc } = w;
  let cb = 0;
  let nb = W;
  beta.fill(NEG, 0, 2 * W);
  for (let t = Ti - 1; t >= 0; t--) {
    const lo = Math.max(0, S - 2 * (Ti - t));
    const hi = Math.min(S - 1, 2 * t + 1);
    if (t === Ti - 1) {
      beta[cb + S - 1] = 0;
      if (S > 1) beta[cb + S - 2] = 0;
    } else {
      beta.fill(NEG, cb, cb + W);
      for (let s = lo; s <= hi; s++) {
        beta[cb + s] = skip[s + 2] === 1 ? logAdd3(beta[nb + s]!, beta[nb + s + 1]!, beta[nb + s + 2]!) : logAdd(beta[nb + s]!, beta[nb + s + 1]!);
      }
    }
    // posteriors γ_t(s) = e^(α + β - log P) <= 1 (clamped there against rounding), summed per class
    const o = t * W + 2;
    for (let s = lo; s <= hi; s++) {
      const g = alpha[o + s]! + beta[cb + s]! + nll;
      const k = ext[s]!;
      acc[k] = acc[k]! + exp(g < 0 ? g : 0);
    }
    const r = at + t * stride;
    for (let s = lo; s <= hi; s++) {
      const k = ext[s]!;
      const a = acc[k]!;
      out[r + k] = a > 0 ? -scale * a : 0;
    }
    for (let s = lo; s <= hi; s++) acc[ext[s]!] = 0;
    // β_t + y_t, what frame t - 1 reads
    for (let s = lo; s <= hi; s++) beta[cb + s] = beta[cb + s]! + emit[o + s]!;
    const swap = cb;
    cb = nb;
    nb = swap;
  }
}
