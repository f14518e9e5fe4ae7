import { CTC_WORK_AT, wasmCtc, type WasmCtc } from '../math/wasmCtc';
import { reserveWasmMemory } from '../math/wasmModule';

/**
 * The buffers of ctcKernel.ts's recursion that the WebAssembly kernels read and write (alpha and alphaLo,
 * emit, gamma, the share planes, and the skip flags as f64 masks), as views on the kernels'
 * memory, and the kernels' forward and backward frames.
 */
export interface CtcFrame {
  readonly alpha: Float64Array;
  readonly alphaLo: Float64Array;
  readonly emit: Float64Array;
  readonly share: Float64Array;
  readonly gamma: Float64Array;
  /** Copies the first n skip flags (1 or 0) into the kernel's masks (all ones or 0). */
  setSkip(skip: Uint8Array, n: number): void;
  /**
   * alphaRow(w, cur, next, W, base, lo, hi, shares) on the kernel, the same bits: true when done,
   * false when the frame is left to alphaRow (a difference x - m in (-∞, -709), where fastExp
   * scales a subnormal result in two steps).
   */
  alphaRow(cur: number, next: number, W: number, base: number, lo: number, hi: number, shares: boolean): boolean;
  /** gammaRow(w, cur, next, W, o, lo, hi) on the kernel, the same bits. */
  gammaRow(cur: number, next: number, W: number, o: number, lo: number, hi: number): void;
}

let cached: { k: WasmCtc; buffer: ArrayBuffer; W: number; plane: number; frame: CtcFrame } | null = null;

/**
 * The frame for rows of W and share planes of `plane` entries: the kernel's memory grown to hold
 * them (a frame made before a growth is not used again: its views are detached), or null where
 * the kernel is off or missing, or its memory cannot grow that far.
 */
export function ctcFrame(W: number, plane: number): CtcFrame | null {
  const k = wasmCtc();
  if (!k) return null;
  if (cached && cached.k === k && cached.buffer === k.memory.buffer && cached.W === W && cached.plane === plane) return cached.frame;
  const alphaAt = CTC_WORK_AT;
  const alphaLoAt = alphaAt + 16 * W;
  const emitAt = alphaLoAt + 16 * W;
  const skipAt = emitAt + 8 * W;
  const gammaAt = skipAt + 8 * W;
  const shareAt = gammaAt + 16 * W;
  try {
    reserveWasmMemory(k, shareAt + 24 * plane);
  } catch {
    return null; // Memory.grow throws a RangeError past its maximum
  }
  const buffer = k.memory.buffer;
  // the region held other buffers in calls of other sizes: gammaRow reads shares that a frame
  // does not write (times a γ of 0), which must be finite, as the shares always are
  new Float64Array(buffer, alphaAt, (shareAt - alphaAt) / 8 + 3 * plane).fill(0);
  const alpha = new Float64Array(buffer, alphaAt, 2 * W);
  const alphaLo = new Float64Array(buffer, alphaLoAt, 2 * W);
  const gamma = new Float64Array(buffer, gammaAt, 2 * W);
  const bits = new Int32Array(buffer, skipAt, 2 * W);
  const NEG = -Infinity;
  const frame: CtcFrame = {
    alpha,
    alphaLo,
    emit: new Float64Array(buffer, emitAt, W),
    share: new Float64Array(buffer, shareAt, 3 * plane),
    gamma,
    setSkip(skip, n) {
      for (let s = 0; s < n; s++) bits[2 * s] = bits[2 * s + 1] = skip[s] === 1 ? -1 : 0;
    },
    alphaRow(cur, next, w, base, lo, hi, shares) {
      alpha.fill(NEG, next, next + w);
      alphaLo.fill(0, next, next + w);
      const o = 8 * (base + lo);
      return (
        k.alphaPairs(
          alphaAt + 8 * (cur + lo),
          alphaLoAt + 8 * (cur + lo),
          alphaAt + 8 * (next + 2 + lo),
          alphaLoAt + 8 * (next + 2 + lo),
          emitAt + 8 * lo,
          skipAt + 8 * lo,
          shareAt + o,
          shareAt + 8 * plane + o,
          shareAt + 16 * plane + o,
          hi - lo + 1,
          shares ? 1 : 0,
        ) === 0
      );
    },
    gammaRow(cur, next, w, o, lo, hi) {
      gamma.fill(0, next, next + w);
      const s = 8 * (o + lo);
      if (hi >= lo) k.gammaPairs(gammaAt + 8 * (cur + lo), gammaAt + 8 * (next + lo), shareAt + s, shareAt + 8 * plane + s, shareAt + 16 * plane + s, hi - lo + 1);
    },
  };
  cached = { k, buffer, W, plane, frame };
  return frame;
}
