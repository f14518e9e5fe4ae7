import { describe, expect, it } from 'vitest';
import { elements, readElements, sumElements, type FastBlock } from '../../src/core/losses/elementwise';
import { wasmBlocks } from '../../src/core/losses/elementwiseWasm';
import { logCosh, logCoshKernel } from '../../src/core/losses/logCosh';
import { logCoshBlocks } from '../../src/core/losses/logCoshBlock';
import { softplusKernelsFor } from '../../src/core/math/wasmSoftplus';
import { useWasmElementwise } from '../../src/core/math/wasmElementwise';
import { checkFinite } from '../../src/core/tensor/flatten';
import type { FloatArray, Reduction } from '../../src/core/tensor/types';
import { gradScale } from '../../src/core/reduce';

/** Deterministic pseudo-random numbers in [0, 1). */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Boundaries of the forms of logCoshTerm and logCoshSlope, and of the clamp at 354 (as exact |d|). */
const TIES = [0, 1 / 8, 0.3, 0.8, 354, 354.5, 708, 1000];
/** A random |d| in one of the forms. */
const d = (r: () => number): number => {
  const k = r();
  if (k < 0.25) return r() / 8 / 2 ** Math.floor(r() * 40); // the series, down to tiny |d|
  if (k < 0.45) return 1 / 8 + r() * (0.3 - 1 / 8);
  if (k < 0.65) return 0.3 + r() * 0.5;
  if (k < 0.9) return 0.8 + r() * 40;
  return 354 + r() * 500;
};

/** n input and target pairs: x - y = ±|d| (about), y of either sign, some ±0 pairs. */
function data(n: number, seed: number, nonFinite: number[] = []): { x: number[]; y: number[] } {
  const r = uniform(seed);
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const tie = r() < 0.05;
    // ties against y = ±0, so that |d| is exactly the tie
    const yi = tie || r() < 0.1 ? [0, -0][i & 1]! : 4 * (r() - 0.5);
    const di = tie ? TIES[Math.floor(r() * TIES.length)]! : d(r);
    x.push(r() < 0.5 ? yi + di : yi - di);
    y.push(yi);
    if (i % 97 === 0) [x[i], y[i]] = [[0, -0, 0][i % 3]!, [-0, 0, 0][i % 3]!];
  }
  for (const i of nonFinite) x[i] = i % 2 ? Infinity : NaN;
  return { x, y };
}

const N = 3 * 8192 + 13;
const KINDS = ['float64', 'number[]', 'float32', 'float32 input, float64 target', 'float64 input, float32 target'] as const;
const OUTS = ['float64', 'float32', 'none'] as const;
const REDUCTIONS: Reduction[] = ['mean', 'sum', 'none'];

/** x and y as arrays of the kind named (the mixed kinds: input's kind first). */
function ofKind(kind: (typeof KINDS)[number], x: number[], y: number[]): [FloatArray | number[], FloatArray | number[]] {
  const as = (k: string, v: number[]) => (k === 'float64' ? Float64Array.from(v) : k === 'float32' ? Float32Array.from(v) : v);
  const [ix, iy] = kind.includes(',') ? [kind.split(' ')[0]!, kind.split(', ')[1]!.split(' ')[0]!] : [kind, kind];
  return [as(ix, x), as(iy, y)];
}

/** The loop with and without the blocks over the same call: totals, items, gradients, and how many blocks the blocks took. */
function both(kind: (typeof KINDS)[number], outKind: (typeof OUTS)[number], reduction: Reduction, nonFinite: number[] = [], wasm = false, n = N, seed = 7) {
  const { x, y } = data(n, seed, nonFinite);
  const [input, target] = ofKind(kind, x, y);
  const e = readElements('logCosh', input, target, reduction);
  const make = (): FloatArray | null => (outKind === 'float64' ? new Float64Array(n) : outKind === 'float32' ? new Float32Array(n) : null);
  const outLoop = make();
  const outFast = make();
  const s = outLoop ? gradScale('logCosh', reduction, n) : 0;
  const itemsLoop = reduction === 'none' ? new Float64Array(n) : null;
  const itemsFast = reduction === 'none' ? new Float64Array(n) : null;
  const loop = sumElements(logCoshKernel, e, outLoop, itemsLoop, s);
  const first = wasm ? wasmBlocks(softplusKernelsFor, 'logCoshF32', e, outFast, itemsFast, s) : null;
  const fast = logCoshBlocks(e, outFast, itemsFast, s, first)!;
  let taken = 0;
  // counts the blocks taken, handing the blocks' error (float64) on as the loop reads it
  const counting = (from: number, to: number) => {
    const part = fast(from, to);
    if (part !== undefined) taken++;
    return part;
  };
  const counted: FastBlock = fast.error === undefined ? counting : Object.assign(counting, { error: fast.error });
  const sum = sumElements(logCoshKernel, e, outFast, itemsFast, s, counted);
  return { e, loop, sum, outLoop, outFast, itemsLoop, itemsFast, taken };
}

/** Every element of a and b the same number (Object.is: -0 and NaN included). */
function sameBits(a: ArrayLike<number> | null, b: ArrayLike<number> | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

describe('logCosh blocks (logCoshBlock.ts)', () => {
  it('are tested on data of every form, every tie and both signs of zero', () => {
    const { x, y } = data(N, 10);
    const ds = x.map((xi, i) => Math.abs(xi - y[i]!));
    for (const [lo, hi] of [
      [0, 1 / 8],
      [1 / 8, 0.3],
      [0.3, 0.8],
      [0.8, 354],
      [354, Infinity],
    ] as const)
      expect(ds.filter((v) => v > lo && v < hi).length).toBeGreaterThan(100);
    for (const t of TIES) expect(ds.filter((v) => v === t).length).toBeGreaterThan(0);
    expect(x.some((v, i) => Object.is(v, -0) && Object.is(y[i], 0)) && x.some((v, i) => Object.is(v, 0) && Object.is(y[i], -0))).toBe(true);
  });

  for (const kind of KINDS)
    for (const [o, outKind] of OUTS.entries())
      for (const [k, reduction] of REDUCTIONS.entries())
        it(`give the loop's bits and take every block: ${kind} input, ${outKind} out, ${reduction}`, () => {
          const r = both(kind, outKind, reduction, [], false, N, 10 + 3 * o + k);
          expect(Number.isFinite(r.loop)).toBe(true);
          expect(Object.is(r.sum, r.loop)).toBe(true);
          expect(sameBits(r.outFast, r.outLoop)).toBe(true);
          expect(sameBits(r.itemsFast, r.itemsLoop)).toBe(true);
          expect(r.taken).toBe(4);
        });

  // a call of one block: the loop's total is that block's sum (and error), so each block is compared alone
  it("give each block's sum with the loop's bits, block by block (one block per call)", () => {
    for (const kind of KINDS)
      for (const [seed, n] of [8192, 8192, 8192, 8192, 8192, 8192, 5000, 1000, 13, 8, 1].entries()) {
        const r = both(kind, seed % 2 ? 'float32' : 'float64', 'sum', [], false, n, 100 + seed);
        expect(Number.isFinite(r.loop)).toBe(true);
        expect(Object.is(r.sum, r.loop)).toBe(true);
        expect(sameBits(r.outFast, r.outLoop)).toBe(true);
        expect(r.taken).toBe(1);
      }
  });

  it("give the loop's finite totals bit for bit (float64 blocks hand their compensated sum's error on)", () => {
    for (const kind of KINDS) {
      const r = uniform(3);
      const x = Array.from({ length: N }, () => 3 * (r() - 0.5));
      const y = Array.from({ length: N }, () => 3 * (r() - 0.5));
      const e = readElements('logCosh', ...ofKind(kind, x, y), 'sum');
      const loop = sumElements(logCoshKernel, e, new Float64Array(N), null, 1);
      const sum = sumElements(logCoshKernel, e, new Float64Array(N), null, 1, logCoshBlocks(e, new Float64Array(N), null, 1));
      expect(Number.isFinite(loop)).toBe(true);
      expect(Object.is(sum, loop)).toBe(true);
      // and the loss itself (which runs them) returns the loop's sum
      expect(logCosh(e.x, e.y, { reduction: 'sum' })).toBe(loop);
    }
  });

  it('follow the WebAssembly blocks where those run, and take the blocks they leave (the last, of 13 elements)', () => {
    useWasmElementwise(true);
    const r = both('float32', 'float32', 'mean', [], true);
    expect(Object.is(r.sum, r.loop)).toBe(true);
    expect(sameBits(r.outFast, r.outLoop)).toBe(true);
    expect(r.taken).toBe(4);
  });

  it('give NaN and Infinity totals where the loop does, and the loss the same message as before', () => {
    for (const kind of ['float64', 'float32'] as const)
      for (const outKind of OUTS) {
        const r = both(kind, outKind, 'mean', [5, 8200, 20001]);
        expect(Object.is(r.sum, r.loop)).toBe(true);
        expect(Number.isNaN(r.sum)).toBe(true);
        expect(sameBits(r.outFast, r.outLoop)).toBe(true);
      }
    // finite float64 arguments whose sum overflows
    const x = new Float64Array(N).fill(1e308);
    const y = new Float64Array(N).fill(-1e308);
    y[9000] = 0;
    const e = readElements('logCosh', x, y, 'sum');
    const [outLoop, outFast] = [new Float64Array(N), new Float64Array(N)];
    const loop = sumElements(logCoshKernel, e, outLoop, null, 1);
    expect(loop).toBe(Infinity);
    expect(sumElements(logCoshKernel, e, outFast, null, 1, logCoshBlocks(e, outFast, null, 1))).toBe(loop);
    expect(sameBits(outFast, outLoop)).toBe(true);
    const { x: xs, y: ys } = data(N, 7, [20001]);
    let expected = '';
    try {
      checkFinite('logCosh', 'input', Float64Array.from(xs));
    } catch (err) {
      expected = (err as Error).message;
    }
    expect(expected).toMatch(/^logCosh: input/);
    expect(() => logCosh(Float64Array.from(xs), Float64Array.from(ys))).toThrow(expected);
    expect(() => logCosh.grad(Float64Array.from(xs), Float64Array.from(ys), { out: new Float32Array(N) })).toThrow(expected);
    // number[] input is checked as it is read, before any block
    expect(() => logCosh(xs, ys)).toThrow(/^logCosh: input\[20001\] must be a finite number, got Infinity$/);
  });

  it('take mixed float32 and float64 arguments (in compensated lanes), and are not used with weights or per-element parameters', () => {
    const x32 = new Float32Array(100);
    const x64 = new Float64Array(100);
    const w = new Float64Array(100).fill(1);
    expect(logCoshBlocks(elements(x64, x32, null, 1, null, 0, 0, 'mean', 100), null, null, 0)?.error).toBeInstanceOf(Float64Array);
    expect(logCoshBlocks(elements(x32, x64, null, 1, null, 0, 0, 'mean', 100), null, null, 0)?.error).toBeInstanceOf(Float64Array);
    expect(logCoshBlocks(elements(x32, x32, null, 1, null, 0, 0, 'mean', 100), null, null, 0)?.error).toBeUndefined();
    expect(logCoshBlocks(elements(x64, x64, w, 1, null, 0, 0, 'mean', 100), null, null, 0)).toBeNull();
    expect(logCoshBlocks(elements(x64, x64, null, 1, w, 0, 0, 'mean', 100), null, null, 0)).toBeNull();
    expect(logCoshBlocks(elements(x64, x64, null, 1, null, 0, 0, 'mean', 100), null, null, 0)).not.toBeNull();
  });
});
