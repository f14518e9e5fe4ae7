import { describe, expect, it } from 'vitest';
import { readElements, sumElements, type FastBlock } from '../../src/core/losses/elementwise';
import { softMarginBlocks, softMarginKernel, softMarginLoss } from '../../src/core/losses/softMarginLoss';
import { kernelArrays } from '../../src/core/math/kernelArrays';
import { useWasmElementwise } from '../../src/core/math/wasmElementwise';
import { gradScale } from '../../src/core/reduce';
import type { FloatArray, Reduction } from '../../src/core/tensor/types';
import { uniform } from '../math/ulp';
import { bothPaths } from '../helpers/paths';

const N = 3 * 8192 + 13;

/** Scores of every size (two beyond ±709, which the blocks leave to the loop) and labels ±1, into x and y. */
function fill(x: Float32Array, y: Float32Array, seed: number): void {
  const r = uniform(seed);
  for (let i = 0; i < x.length; i++) {
    const k = r();
    x[i] = k < 0.1 ? 60 * (r() - 0.5) : 6 * (r() - 0.5);
    y[i] = r() < 0.5 ? 1 : -1;
  }
  // in the first and third blocks only
  [x[100], x[20000]] = [800, -800];
}

/** The loop with and without the blocks over the same call: totals and gradients, and how many blocks the blocks took. */
function both(x: FloatArray, y: FloatArray, out: () => FloatArray | null, reduction: Reduction) {
  const e = readElements('softMarginLoss', x, y, reduction);
  const [outLoop, outFast] = [out(), out()];
  const s = outLoop ? gradScale('softMarginLoss', reduction, x.length) : 0;
  const loop = sumElements(softMarginKernel, e, outLoop, null, s);
  const fast = softMarginBlocks(e, outFast, null, s);
  let taken = 0;
  const counting: FastBlock | null =
    fast === null
      ? null
      : (from, to) => {
          const part = fast(from, to);
          if (part !== undefined) taken++;
          return part;
        };
  const sum = sumElements(softMarginKernel, e, outFast, null, s, counting && fast?.error ? Object.assign(counting, { error: fast.error }) : counting);
  return { loop, sum, outLoop, outFast, taken, fast };
}

const sameBits = (a: ArrayLike<number> | null, b: ArrayLike<number> | null) =>
  a === null || b === null ? a === b : a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

describe("softMarginLoss's blocks (binaryCrossEntropyWithLogits's, on labels as targets)", () => {
  for (const where of ['ordinary arrays', 'kernelArrays'] as const)
    for (const outKind of ['float32', 'none'] as const)
      it(`give the loop's bits on WebAssembly and TypeScript: ${where}, ${outKind} out`, () => {
        const [x, y] = where === 'kernelArrays' ? kernelArrays(N, 2) : [new Float32Array(N), new Float32Array(N)];
        fill(x!, y!, outKind === 'none' ? 1 : 2);
        const r = bothPaths(useWasmElementwise, () => both(x!, y!, () => (outKind === 'none' ? null : new Float32Array(N)), 'mean'));
        for (const p of [r.wasm, r.ts]) {
          expect(Number.isFinite(p.loop)).toBe(true);
          expect(Object.is(p.sum, p.loop)).toBe(true);
          expect(sameBits(p.outFast, p.outLoop)).toBe(true);
          // the blocks with a logit beyond ±709 are the loop's
          expect(p.taken).toBe(2);
        }
      });

  it('take every block of ordinary scores, the last (13 elements) included', () => {
    const [x, y] = [new Float32Array(N), new Float32Array(N)];
    const r = uniform(3);
    for (let i = 0; i < N; i++) [x[i], y[i]] = [8 * (r() - 0.5), r() < 0.3 ? 1 : -1];
    const p = both(x, y, () => new Float32Array(N), 'sum');
    expect(p.taken).toBe(4);
    expect(Object.is(p.sum, p.loop)).toBe(true);
    expect(sameBits(p.outFast, p.outLoop)).toBe(true);
  });

  it('leave a block with a bad label or a NaN score to the loop, whose total is NaN, and the loss names it', () => {
    const [x, y] = [new Float32Array(N), new Float32Array(N)];
    fill(x, y, 4);
    for (const [i, label, score] of [
      [9000, 0, 1],
      [20000, 1, NaN],
    ] as const) {
      const [xb, yb] = [x.slice(), y.slice()];
      [xb[i], yb[i]] = [score, label];
      const p = both(xb, yb, () => new Float32Array(N), 'mean');
      expect(Number.isNaN(p.sum) && Number.isNaN(p.loop)).toBe(true);
      expect(sameBits(p.outFast, p.outLoop)).toBe(true);
      expect(() => softMarginLoss.valueAndGrad(xb, yb, { out: new Float32Array(N) })).toThrow(`softMarginLoss: ${label === 0 ? 'target' : 'input'}[${i}]`);
    }
  });

  for (const [xKind, yKind, outKind] of [
    ['float64', 'float64', 'float64'],
    ['float64', 'float64', 'none'],
    ['float32', 'float64', 'float32'],
    ['float64', 'float32', 'float64'],
    ['float32', 'float32', 'float64'],
  ] as const)
    it(`give the loop's bits on ${xKind} scores, ${yKind} labels and a ${outKind} gradient (compensated lanes but for float32 scores and labels)`, () => {
      const [x32, y32] = [new Float32Array(N), new Float32Array(N)];
      fill(x32, y32, 6);
      const x = xKind === 'float32' ? x32 : Float64Array.from(x32, (v, i) => (i & 1 ? v * (1 + 2 ** -40) : v));
      const y = yKind === 'float32' ? y32 : Float64Array.from(y32);
      const p = both(x, y, () => (outKind === 'none' ? null : outKind === 'float32' ? new Float32Array(N) : new Float64Array(N)), 'sum');
      expect(Number.isFinite(p.loop)).toBe(true);
      expect(Object.is(p.sum, p.loop), `${p.sum} vs ${p.loop}`).toBe(true);
      expect(sameBits(p.outFast, p.outLoop)).toBe(true);
      expect(p.taken).toBe(2);
      expect(p.fast?.error !== undefined).toBe(xKind === 'float64' || yKind === 'float64');
    });

  it("hand the loop each float64 block's compensation: without it the total differs", () => {
    const r = uniform(8);
    const n = 4 * 8192;
    const x = Float64Array.from({ length: n }, () => 1400 * (r() - 0.5));
    const y = Float64Array.from({ length: n }, () => (r() < 0.5 ? 1 : -1));
    const e = readElements('softMarginLoss', x, y, 'sum');
    const fast = softMarginBlocks(e, null, null, 0)!;
    const loop = sumElements(softMarginKernel, e, null, null, 0);
    const errors: number[] = [];
    const dropped = sumElements(softMarginKernel, e, null, null, 0, (from, to) => {
      const part = fast(from, to);
      errors.push(fast.error![0]!);
      return part;
    });
    expect(Object.is(sumElements(softMarginKernel, e, null, null, 0, fast), loop)).toBe(true);
    expect(errors.filter((v) => v !== 0)).toHaveLength(4);
    expect(dropped).not.toBe(loop);
  });

  it('are not used for per-item values', () => {
    const x32 = new Float32Array(100);
    const x64 = new Float64Array(100);
    expect(softMarginBlocks(readElements('softMarginLoss', x32, x32, 'none'), null, new Float64Array(100), 0)).toBeNull();
    expect(softMarginBlocks(readElements('softMarginLoss', x64, x64, 'mean'), new Float64Array(100), null, 1)).not.toBeNull();
  });
});
