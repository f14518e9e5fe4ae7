import { describe, expect, it } from 'vitest';
import { elements, sumElements, type FastBlock } from '../../src/core/losses/elementwise';
import { sigmoidFocalBlocks } from '../../src/core/losses/sigmoidFocalBlock';
import { sigmoidFocalKernel, sigmoidFocalLoss } from '../../src/core/losses/sigmoidFocalLoss';
import { gradScale } from '../../src/core/reduce';
import type { FloatArray, Reduction } from '../../src/core/tensor/types';
import { uniform } from '../math/ulp';
import { kernelArrays } from '../../src/core/math/kernelArrays';
import { useWasmElementwise } from '../../src/core/math/wasmElementwise';
import { softplusKernelsFor } from '../../src/core/math/wasmSoftplus';
import { bothPaths } from '../helpers/paths';

const N = 3 * 8192 + 13;
const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * Logits of every size and targets hard and soft, into x and y; with `refused`, one block holds a
 * logit beyond ±709 and another a soft target at fround(σ(x)), whose gradient cancels.
 */
function data(seed: number, refused: boolean): { x: Float32Array; y: Float32Array } {
  const r = uniform(seed);
  const x = new Float32Array(N);
  const y = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    const k = r();
    x[i] = k < 0.05 ? 80 * (r() - 0.5) : k < 0.1 ? 0 : 8 * (r() - 0.5);
    y[i] = r() < 0.6 ? (r() < 0.5 ? 1 : 0) : r();
  }
  if (refused) {
    x[100] = -750;
    x[9000] = 1.5;
    y[9000] = sigmoid(1.5);
  }
  return { x, y };
}

/** The loop with and without the blocks over the same call: totals, items, gradients, and how many blocks the blocks took. */
function both(x: Float32Array, y: Float32Array, alpha: number, gamma: number, outKind: 'float32' | 'float64' | 'none', reduction: Reduction) {
  const e = elements(x, y, null, 1, null, alpha, gamma, reduction, N);
  const make = (): FloatArray | null => (outKind === 'float32' ? new Float32Array(N) : outKind === 'float64' ? new Float64Array(N) : null);
  const [outLoop, outFast] = [make(), make()];
  const [itemsLoop, itemsFast] = reduction === 'none' ? [new Float64Array(N), new Float64Array(N)] : [null, null];
  const s = outLoop ? gradScale('sigmoidFocalLoss', reduction, N) : 0;
  const loop = sumElements(sigmoidFocalKernel, e, outLoop, itemsLoop, s);
  const fast = sigmoidFocalBlocks(e, outFast, itemsFast, s)!;
  let taken = 0;
  const counting: FastBlock = (from, to) => {
    const part = fast(from, to);
    if (part !== undefined) taken++;
    return part;
  };
  const sum = sumElements(sigmoidFocalKernel, e, outFast, itemsFast, s, counting);
  return { loop, sum, outLoop, outFast, itemsLoop, itemsFast, taken };
}

const sameBits = (a: ArrayLike<number> | null, b: ArrayLike<number> | null) =>
  a === null || b === null ? a === b : a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

const OPTIONS = [
  [0.25, 2],
  [-1, 0],
  [0.5, 1],
  [0.25, 0.5],
  [0.9, 3.7],
] as const;

describe('sigmoidFocalLoss blocks (sigmoidFocalBlock.ts)', () => {
  for (const [alpha, gamma] of OPTIONS)
    for (const [outKind, reduction] of [
      ['float32', 'mean'],
      ['float64', 'sum'],
      ['none', 'none'],
      ['float32', 'none'],
    ] as const)
      it(`give the loop's bits: alpha ${alpha}, gamma ${gamma}, ${outKind} out, ${reduction}`, () => {
        const { x, y } = data(Math.round(100 * (alpha + gamma)), false);
        const r = both(x, y, alpha, gamma, outKind, reduction);
        expect(Number.isFinite(r.loop)).toBe(true);
        expect(Object.is(r.sum, r.loop)).toBe(true);
        expect(sameBits(r.outFast, r.outLoop)).toBe(true);
        expect(sameBits(r.itemsFast, r.itemsLoop)).toBe(true);
        expect(r.taken).toBe(4);
      });

  it('leave to the loop a block with a logit beyond ±709 and one whose gradient cancels (the loop redoes it in double-double)', () => {
    const { x, y } = data(5, true);
    const r = both(x, y, 0.25, 2, 'float64', 'mean');
    expect(Object.is(r.sum, r.loop)).toBe(true);
    expect(sameBits(r.outFast, r.outLoop)).toBe(true);
    expect(r.taken).toBe(2);
    // the value alone cancels nothing: only the logit's block is left
    expect(both(x, y, 0.25, 2, 'none', 'mean').taken).toBe(3);
  });

  it('leave a NaN, an Infinity and a target outside [0, 1] to the loop, and the loss names each', () => {
    for (const [i, score, target, message] of [
      [7, NaN, 1, 'sigmoidFocalLoss: input[7] must be a finite number, got NaN'],
      [9000, Infinity, 0, 'sigmoidFocalLoss: input[9000] must be a finite number, got Infinity'],
      [20000, 1, 1.25, 'sigmoidFocalLoss: target[20000] must be a probability in [0, 1], got 1.25'],
    ] as const) {
      const { x, y } = data(6, false);
      [x[i], y[i]] = [score, target];
      const r = both(x, y, 0.25, 2, 'float32', 'mean');
      expect(Number.isFinite(r.sum)).toBe(false);
      expect(Object.is(r.sum, r.loop)).toBe(true);
      expect(r.taken).toBe(3);
      expect(() => sigmoidFocalLoss.valueAndGrad(x, y)).toThrow(message);
    }
  });

  for (const [alpha, gamma] of [
    [0.25, 2],
    [-1, 0],
    [0.5, 1],
  ] as const)
    it(`give the loop's bits on the WebAssembly kernel and without it, ordinary arrays and kernelArrays: alpha ${alpha}, gamma ${gamma}`, () => {
      const { x: x0, y: y0 } = data(Math.round(10 * (alpha + gamma)) + 40, false);
      const [xa, ya] = kernelArrays(N, 2) as [Float32Array, Float32Array];
      xa.set(x0);
      ya.set(y0);
      for (const [x, y] of [
        [x0, y0],
        [xa, ya],
      ] as const) {
        const r = bothPaths(useWasmElementwise, () => both(x, y, alpha, gamma, 'float32', 'mean'));
        for (const p of [r.wasm, r.ts]) {
          expect(Number.isFinite(p.loop)).toBe(true);
          expect(Object.is(p.sum, p.loop)).toBe(true);
          expect(sameBits(p.outFast, p.outLoop)).toBe(true);
          expect(p.taken).toBe(4);
        }
      }
    });

  it("have a WebAssembly kernel for γ in {0, 1, 2} that takes every block with the TypeScript block's bits, and refuses (NaN) what that block leaves to the loop", () => {
    const n = 8192;
    const [x, y, out] = kernelArrays(n, 3) as [Float32Array, Float32Array, Float32Array];
    const k = softplusKernelsFor(x.buffer)!;
    const { x: x0, y: y0 } = data(12, false);
    for (const [alpha, gamma] of [
      [0.25, 2],
      [-1, 0],
      [0.75, 1],
      [0, 2],
    ] as const) {
      x.set(x0.subarray(0, n));
      y.set(y0.subarray(0, n));
      const c = 1 / n;
      const wasm = k.sigmoidFocalF32(x.byteOffset, y.byteOffset, out.byteOffset, n / 8, c, alpha, gamma, 1);
      const e = elements(Float32Array.from(x), Float32Array.from(y), null, 1, null, alpha, gamma, 'mean', n);
      const tsOut = new Float32Array(n);
      useWasmElementwise(false);
      const ts = sigmoidFocalBlocks(e, tsOut, null, c)!(0, n);
      useWasmElementwise(true);
      expect(Object.is(wasm, ts), `alpha ${alpha}, gamma ${gamma}: ${wasm} vs ${String(ts)}`).toBe(true);
      expect(sameBits(out, tsOut)).toBe(true);
      for (const [i, logit, target] of [
        [17, 750, 1],
        [18, NaN, 0],
        [19, 0.5, 1.5],
        [20, 1.5, Math.fround(sigmoid(1.5))],
      ] as const) {
        const [xi, yi] = [x[i]!, y[i]!];
        [x[i], y[i]] = [logit, target];
        expect(k.sigmoidFocalF32(x.byteOffset, y.byteOffset, out.byteOffset, n / 8, c, alpha, gamma, 1), `${logit}, ${target}`).toBeNaN();
        [x[i], y[i]] = [xi, yi];
      }
    }
  });

  it('are not used for float64 or mixed arguments', () => {
    const x32 = new Float32Array(100);
    const x64 = new Float64Array(100);
    expect(sigmoidFocalBlocks(elements(x64, x64, null, 1, null, 0.25, 2, 'mean', 100), null, null, 0)).toBeNull();
    expect(sigmoidFocalBlocks(elements(x32, x64, null, 1, null, 0.25, 2, 'mean', 100), null, null, 0)).toBeNull();
    expect(sigmoidFocalBlocks(elements(x32, x32, null, 1, null, 0.25, 2, 'mean', 100), null, null, 0)).not.toBeNull();
  });

  it('give the loss the loop-only value and gradient on float32 arrays', () => {
    const { x, y } = data(8, true);
    const { value, grad } = sigmoidFocalLoss.valueAndGrad(x, y, { out: new Float32Array(N) });
    const e = elements(x, y, null, 1, null, 0.25, 2, 'mean', N);
    const out = new Float32Array(N);
    const total = sumElements(sigmoidFocalKernel, e, out, null, gradScale('sigmoidFocalLoss', 'mean', N));
    expect(value).toBe(total / N);
    expect(sameBits(grad as Float32Array, out)).toBe(true);
  });
});
