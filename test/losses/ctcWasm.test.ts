import { afterEach, describe, expect, it } from 'vitest';
import { ctcLoss } from '../../src';
import { ctcFrame } from '../../src/core/losses/ctcWasm';
import { CTC_WORK_AT, useWasmCtc, wasmCtc } from '../../src/core/math/wasmCtc';
import * as source from '../../tools/generate/wasm/ctcKernelsSource';
import { uniform } from '../math/ulp';

afterEach(() => useWasmCtc(true));

interface Batch {
  lp: Float32Array | Float64Array;
  shape: [number, number, number];
  targets: Int32Array;
  S: number;
  inputLengths: Int32Array;
  targetLengths: Int32Array;
}

/**
 * log_softmax rows of scores spread over [0, spread) (a wide spread makes confident frames, whose
 * log-sums meet differences below -709), targets over the first `labels` classes after the blank
 * `blank` (few labels: many repeats, so states that cannot skip), lengths varied per sample.
 */
function batch(T: number, N: number, C: number, S: number, spread: number, seed: number, o: { labels?: number; blank?: number; f64?: boolean } = {}): Batch {
  const u = uniform(seed);
  const lp = o.f64 ? new Float64Array(T * N * C) : new Float32Array(T * N * C);
  for (let r = 0; r < T * N; r++) {
    const row = Array.from({ length: C }, () => spread * u());
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
    for (let k = 0; k < C; k++) lp[r * C + k] = row[k]! - lse;
  }
  const blank = o.blank ?? 0;
  const labels = o.labels ?? C - 1;
  const targets = Int32Array.from({ length: N * S }, () => {
    const k = Math.floor(u() * labels);
    return k >= blank ? k + 1 : k;
  });
  return {
    lp,
    shape: [T, N, C],
    targets,
    S,
    inputLengths: Int32Array.from({ length: N }, (_, n) => T - (n % 3)),
    targetLengths: Int32Array.from({ length: N }, (_, n) => Math.max(0, S - (n % 4))),
  };
}

/** ctcLoss's value and valueAndGrad with the kernel off, then on. */
function both(b: Batch, options: Record<string, unknown>) {
  return [false, true].map((on) => {
    useWasmCtc(on);
    const args = [{ data: b.lp, shape: b.shape }, { data: b.targets, shape: [b.shape[1], b.S] }, b.inputLengths, b.targetLengths] as const;
    const out = b.lp instanceof Float32Array ? new Float32Array(b.lp.length) : new Float64Array(b.lp.length);
    const { value } = ctcLoss.valueAndGrad(...args, { ...options, out });
    return { value, only: ctcLoss(...args, options), out };
  });
}

const bits = (v: number | Float64Array | Float32Array) => (typeof v === 'number' ? [v] : Array.from(v));
const sameBits = (x: ArrayBufferView, y: ArrayBufferView) => Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));

describe('ctcLoss on the WebAssembly frames (ctcWasm.ts)', () => {
  it('fit a module under 4 KB whose layout the loader shares', () => {
    expect(source.ctcModule().length).toBeLessThan(4096);
    expect(CTC_WORK_AT).toBe(source.CTC_WORK_AT);
    expect([source.CTC_EXP_TABLE_AT, source.CTC_LOG_TABLE_AT, source.CTC_CONST_AT]).toEqual([0, 2048, 4096]);
    expect(wasmCtc()).not.toBeNull();
    useWasmCtc(false);
    expect(wasmCtc()).toBeNull();
    expect(ctcFrame(5, 50)).toBeNull();
  });

  it.each([
    ['[200 x 32 x 50], S 30 (the bench shape), mean', batch(200, 32, 50, 30, 4, 1), {}],
    ['[50 x 4 x 20], S 10, sum, blank 7', batch(50, 4, 20, 10, 4, 2, { blank: 7 }), { reduction: 'sum', blank: 7 }],
    ['[60 x 3 x 5], 2 labels (repeats: states that cannot skip), none', batch(60, 3, 5, 7, 3, 3, { labels: 2 }), { reduction: 'none' }],
    ['[30 x 5 x 6], S 14 (samples without a valid alignment), zeroInfinity', batch(30, 5, 6, 14, 3, 4, { labels: 1 }), { zeroInfinity: true, reduction: 'none' }],
    ['[40 x 2 x 4], float64, spread 2000 (differences below -709: frames left to TypeScript)', batch(40, 2, 4, 11, 2000, 5, { f64: true }), {}],
    ['[64 x 6 x 30], spread 200', batch(64, 6, 30, 9, 200, 6), { reduction: 'none' }],
  ] as const)('gives the TypeScript recursion bits: %s', (_, b, options) => {
    const [ts, wasm] = both(b, options);
    expect(bits(wasm!.value).every((v, i) => Object.is(v, bits(ts!.value)[i]))).toBe(true);
    expect(bits(wasm!.only).every((v, i) => Object.is(v, bits(ts!.only)[i]))).toBe(true);
    expect(sameBits(wasm!.out, ts!.out)).toBe(true);
    expect(bits(ts!.value).every(Number.isFinite)).toBe(true);
  });

  it('keeps the same bits when a call needs a larger memory, and after it with a smaller one', () => {
    for (const b of [batch(10, 2, 5, 3, 4, 7), batch(300, 8, 40, 60, 4, 8), batch(12, 3, 6, 4, 4, 9)]) {
      const [ts, wasm] = both(b, { reduction: 'none' });
      expect(sameBits(wasm!.value as Float64Array, ts!.value as Float64Array)).toBe(true);
      expect(sameBits(wasm!.out, ts!.out)).toBe(true);
    }
  });

  it('leaves a frame to TypeScript when a log-sum meets a difference in (-∞, -709), and takes one whose differences are -∞ or above', () => {
    const W = 7; // S = 5
    const frame = ctcFrame(W, 4 * W)!;
    const skip = Uint8Array.from([0, 0, 0, 1, 0, 0, 0]);
    frame.setSkip(skip, W);
    frame.emit.fill(-1);
    const run = (prev: number[]) => {
      frame.alpha.fill(-Infinity);
      frame.alpha.set(prev, 2); // α_{t-1}(0 .. 4) in row 0
      return frame.alphaRow(0, W, W, W, 0, 4, true);
    };
    expect(run([-1, -2, -3, -Infinity, -Infinity])).toBe(true);
    expect(Array.from(frame.alpha.subarray(W + 2, W + 7)).every((v, s) => (s <= 3 ? Number.isFinite(v) : v === -Infinity))).toBe(true);
    expect(run([-1, -720, -3, -4, -5])).toBe(false);
    expect(run([-1, -2, -3, -4, -800])).toBe(false);
  });
});
