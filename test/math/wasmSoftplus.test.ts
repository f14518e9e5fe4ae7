import { afterEach, describe, expect, it } from 'vitest';
import { binaryCrossEntropy, binaryCrossEntropyWithLogits, logCosh } from '../../src';
import { bceLogitsBlocks } from '../../src/core/losses/bceLogitsBlock';
import { elements } from '../../src/core/losses/elementwise';
import { kernelArrays } from '../../src/core/math/kernelArrays';
import { useWasmElementwise } from '../../src/core/math/wasmElementwise';
import {
  BCE_CONST_AT,
  LOG_COSH_CONST_AT,
  SIGMOID_FOCAL_CONST_AT,
  SOFTPLUS_CONST_AT,
  SOFTPLUS_EXP_TABLE_AT,
  SOFTPLUS_LOG_TABLE_AT,
  STAGE_SCRATCH_AT,
  softplusKernelsFor,
} from '../../src/core/math/wasmSoftplus';
import * as source from '../../tools/generate/wasm/softplusKernelsSource';
import { logCoshSlope, logCoshTerm } from '../../src/core/losses/logCosh';
import { uniform } from './ulp';
import { bothPaths } from '../helpers/paths';

afterEach(() => useWasmElementwise(true));

const BLOCK = 8192;

/** float32 logits of N(0, 4)-like spread with every kind of element the kernel meets, and hard or soft targets. */
function data(n: number, seed: number, soft: boolean): { x: Float32Array; y: Float32Array } {
  const u = uniform(seed);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = i % 97 === 0 ? [0, -0, 1e-30, -1e-30, 708, -708, 88, -88][i % 8]! : 16 * (u() - 0.5);
    y[i] = soft ? u() : u() < 0.5 ? 0 : 1;
  }
  return { x, y };
}

describe('the softplus WebAssembly SIMD kernels (BCE with logits)', () => {
  it('fit in modules under 4 KB and put their tables and constants where the loader writes them', () => {
    expect(source.softplusModule().length).toBeLessThan(4096);
    expect(source.bceModule().length).toBeLessThan(4096);
    expect(source.logCoshModule().length).toBeLessThan(4096);
    expect(source.sigmoidFocalModule().length).toBeLessThan(4096);
    expect([SOFTPLUS_EXP_TABLE_AT, SOFTPLUS_LOG_TABLE_AT, SOFTPLUS_CONST_AT, LOG_COSH_CONST_AT, BCE_CONST_AT, SIGMOID_FOCAL_CONST_AT, STAGE_SCRATCH_AT]).toEqual([
      source.SOFTPLUS_EXP_TABLE_AT,
      source.SOFTPLUS_LOG_TABLE_AT,
      source.SOFTPLUS_CONST_AT,
      source.LOG_COSH_CONST_AT,
      source.BCE_CONST_AT,
      source.SIGMOID_FOCAL_CONST_AT,
      source.STAGE_SCRATCH.at,
    ]);
    // after the three staging blocks of wasmElementwise.ts, one after the other, inside its 2 pages
    expect(SOFTPLUS_EXP_TABLE_AT).toBeGreaterThanOrEqual(3 * 4 * BLOCK);
    expect(SOFTPLUS_LOG_TABLE_AT + 2048).toBeLessThanOrEqual(SOFTPLUS_CONST_AT);
    expect(SOFTPLUS_CONST_AT + 2048).toBeLessThanOrEqual(LOG_COSH_CONST_AT);
    expect(LOG_COSH_CONST_AT + 2048).toBeLessThanOrEqual(BCE_CONST_AT);
    expect(BCE_CONST_AT + 2048).toBeLessThanOrEqual(SIGMOID_FOCAL_CONST_AT);
    expect(SIGMOID_FOCAL_CONST_AT + 2048).toBeLessThanOrEqual(STAGE_SCRATCH_AT);
    expect(source.STAGE_SCRATCH.at + source.STAGE_SCRATCH.bytes).toBe(131072);
  });

  it('load in this Node, on the shared memory and on an arena of kernelArrays', () => {
    expect(softplusKernelsFor(new ArrayBuffer(8))).not.toBeNull();
    const [a] = kernelArrays(16);
    const k = softplusKernelsFor(a!.buffer)!;
    expect(k.memory.buffer).toBe(a!.buffer);
    useWasmElementwise(false);
    expect(softplusKernelsFor(a!.buffer)).toBeNull();
  });

  it.each([
    ['hard targets', false, 1, 1],
    ['soft targets, weight 0.75 and posWeight 3', true, 0.75, 3],
  ])('take every block of %s and give the TypeScript block bits', (_, soft, ws, q) => {
    const n = 3 * BLOCK;
    const { x, y } = data(n, 5, soft);
    const [xa, ya, out] = kernelArrays(n, 3);
    xa!.set(x);
    ya!.set(y);
    const k = softplusKernelsFor(xa!.buffer)!;
    const s = 1 / n;
    const e = elements(x, y, null, ws, null, q, 0, 'mean', n);
    useWasmElementwise(false);
    const tsOut = new Float32Array(n);
    const ts = bceLogitsBlocks(e, tsOut, null, s)!;
    useWasmElementwise(true);
    for (let from = 0; from < n; from += BLOCK) {
      const wasm = k.bceLogitsF32(xa!.byteOffset + 4 * from, ya!.byteOffset + 4 * from, out!.byteOffset + 4 * from, BLOCK / 8, s * ws, q, ws, 1);
      const expected = ts(from, from + BLOCK);
      expect(expected).toBeDefined();
      expect(Object.is(wasm, expected), `block at ${from}: ${wasm} vs ${expected}`).toBe(true);
    }
    expect(Buffer.from(out!.buffer, out!.byteOffset, 4 * n).equals(Buffer.from(tsOut.buffer))).toBe(true);
  });

  it('refuse (NaN) the blocks the TypeScript block leaves to the loop: a logit beyond ±709, a NaN, a target outside [0, 1], a cancelling gradient', () => {
    const n = 64;
    for (const [bad, target] of [
      [800, 1],
      [-710, 0],
      [NaN, 1],
      [0.5, 1.5],
      [0.5, -0.25],
      [0.5, NaN],
      [1.5, Math.fround(1 / (1 + Math.exp(-1.5)))],
    ] as const) {
      const [xa, ya, out] = kernelArrays(n, 3);
      const { x, y } = data(n, 9, false);
      xa!.set(x);
      ya!.set(y);
      xa![37] = bad;
      ya![37] = target;
      const k = softplusKernelsFor(xa!.buffer)!;
      expect(k.bceLogitsF32(xa!.byteOffset, ya!.byteOffset, out!.byteOffset, n / 8, 1 / n, 1, 1, 1), String(bad)).toBeNaN();
    }
  });

  it('binaryCrossEntropyWithLogits gives the same value and gradient bits with and without them, on any arrays', () => {
    for (const n of [40000, 8193, 8200, 64, 65]) {
      for (const soft of [false, true]) {
        const { x, y } = data(n, n, soft);
        const [xa, ya, ga] = kernelArrays(n, 3);
        xa!.set(x);
        ya!.set(y);
        for (const options of [{}, { weight: 0.5, posWeight: 2 }, { reduction: 'sum' as const }]) {
          const run = () => {
            const out = new Float32Array(n);
            const value = binaryCrossEntropyWithLogits.valueAndGrad(x, y, { ...options, out }).value;
            const inPlace = binaryCrossEntropyWithLogits.valueAndGrad(xa!, ya!, { ...options, out: ga! }).value;
            return { value, inPlace, alone: binaryCrossEntropyWithLogits(x, y, options), out: Array.from(out), outInPlace: Array.from(ga!) };
          };
          useWasmElementwise(true);
          const wasm = run();
          useWasmElementwise(false);
          const ts = run();
          useWasmElementwise(true);
          const label = `n = ${n}, soft ${soft}, ${JSON.stringify(options)}`;
          expect(wasm.value, label).toBe(ts.value);
          expect(wasm.inPlace, label).toBe(ts.value);
          expect(wasm.alone, label).toBe(ts.alone);
          expect(wasm.out, label).toEqual(ts.out);
          expect(wasm.outInPlace, label).toEqual(ts.out);
        }
      }
    }
  });

  it('name a target outside [0, 1] with the kernels on as off, though its checks wait for the pass', () => {
    for (const bad of [1.5, -0.25, NaN]) {
      const x = new Float32Array(20000).fill(0.5);
      const y = new Float32Array(20000).fill(1);
      y[12345] = bad;
      const message = `binaryCrossEntropyWithLogits: target[12345] must be ${bad === bad ? 'a probability in [0, 1]' : 'a finite number'}, got ${bad}`;
      for (const on of [true, false]) {
        useWasmElementwise(on);
        expect(() => binaryCrossEntropyWithLogits(x, y)).toThrow(message);
        expect(() => binaryCrossEntropyWithLogits.grad(x, y, { out: new Float32Array(20000) })).toThrow(message);
        expect(() => binaryCrossEntropyWithLogits(Float64Array.from(x), Float64Array.from(y), { weight: 2 })).toThrow(message);
      }
    }
  });

  it('still name a NaN or an Infinity in a float32 logit with the kernels on', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const x = new Float32Array(1000).fill(0.5);
      x[777] = bad;
      expect(() => binaryCrossEntropyWithLogits.valueAndGrad(x, new Float32Array(1000), { out: new Float32Array(1000) })).toThrow(
        `binaryCrossEntropyWithLogits: input[777] must be a finite number, got ${bad}`,
      );
    }
  });
});

/** float32 pairs whose differences cover every form of logCosh: the series (|d| < 1/8), both small forms, the large one, ties, the clamp, ±0. */
function differences(n: number, seed: number): { x: Float32Array; y: Float32Array } {
  const u = uniform(seed);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = 8 * (u() - 0.5);
    const scale = [1e-6, 0.1, 0.3, 0.8, 2, 10, 400][i % 7]!;
    y[i] = i % 53 === 0 ? x[i]! : i % 59 === 0 ? x[i]! - [0.125, -0.3, 0.8, 354, -900][i % 5]! : x[i]! + scale * (u() - 0.5) * 2;
  }
  x[0] = -0;
  y[0] = 0;
  return { x, y };
}

describe('the logCosh WebAssembly SIMD kernel', () => {
  it('gives logCoshTerm and logCoshSlope bits, element by element, on every form', () => {
    const n = 4 * BLOCK;
    const { x, y } = differences(n, 3);
    const [xa, ya, out] = kernelArrays(n, 3);
    xa!.set(x);
    ya!.set(y);
    const k = softplusKernelsFor(xa!.buffer)!;
    const c = 0.75;
    // one element at a time: the block's sum is its term (lane 0, all other terms 0), its gradient c tanh d
    const one = kernelArrays(8, 3);
    const k1 = softplusKernelsFor(one[0]!.buffer)!;
    for (let i = 0; i < n; i += 7) {
      one[0]!.fill(0);
      one[1]!.fill(0);
      one[0]![0] = x[i]!;
      one[1]![0] = y[i]!;
      const term = k1.logCoshF32(one[0]!.byteOffset, one[1]!.byteOffset, one[2]!.byteOffset, 1, c, 0, 0, 1);
      const d = Math.abs(x[i]! - y[i]!);
      const slope = logCoshSlope(d);
      if (!Object.is(term, logCoshTerm(d))) expect.fail(`term at d = ${d}: wasm ${term}, ts ${logCoshTerm(d)}`);
      const g = Math.fround(c * (x[i]! - y[i]! < 0 ? -slope : slope));
      if (!Object.is(one[2]![0], g)) expect.fail(`slope at x = ${x[i]}, y = ${y[i]}: wasm ${one[2]![0]}, ts ${g}`);
    }
    expect(Number.isFinite(k.logCoshF32(xa!.byteOffset, ya!.byteOffset, out!.byteOffset, n / 8, 1 / n, 0, 0, 1))).toBe(true);
  });

  it('logCosh gives the same value and gradient bits with and without it, on any arrays', () => {
    for (const n of [40000, 8193, 8200, 64, 65]) {
      const { x, y } = differences(n, n);
      const [xa, ya, ga] = kernelArrays(n, 3);
      xa!.set(x);
      ya!.set(y);
      for (const reduction of ['mean', 'sum', 'none'] as const) {
        const run = () => {
          const out = new Float32Array(n);
          const value = logCosh.valueAndGrad(x, y, { reduction, out }).value;
          const inPlace = logCosh.valueAndGrad(xa!, ya!, { reduction, out: ga! }).value;
          return { value, inPlace, alone: logCosh(x, y, { reduction }), out: Array.from(out), outInPlace: Array.from(ga!) };
        };
        useWasmElementwise(true);
        const wasm = run();
        useWasmElementwise(false);
        const ts = run();
        useWasmElementwise(true);
        const label = `n = ${n}, ${reduction}`;
        expect(wasm.value, label).toEqual(ts.value);
        expect(wasm.inPlace, label).toEqual(ts.value);
        expect(wasm.alone, label).toEqual(ts.alone);
        expect(wasm.out, label).toEqual(ts.out);
        expect(wasm.outInPlace, label).toEqual(ts.out);
      }
    }
  });

  it('still names a NaN or an Infinity in a float32 input with it on', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const x = new Float32Array(1000).fill(0.5);
      x[777] = bad;
      expect(() => logCosh.valueAndGrad(x, new Float32Array(1000), { out: new Float32Array(1000) })).toThrow(`logCosh: input[777] must be a finite number, got ${bad}`);
    }
  });
});

describe('binaryCrossEntropy on the softplus module (bceF32)', () => {
  it('binaryCrossEntropy on float32 arrays gives the same value and gradient bits with and without bceF32', () => {
    const u = uniform(24);
    for (const n of [100000, 8193, 64, 65, 20001]) {
      const x = new Float32Array(n);
      const y = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        x[i] = i % 7 === 0 ? u() ** 40 : i % 11 === 0 ? 1 - u() ** 40 : u();
        y[i] = u() < 0.5 ? 0 : 1;
      }
      x.set([0, 1, 0, 1, 1e-45, 1 - 2 ** -24]);
      // a soft target in one chunk: that chunk runs in TypeScript
      if (n > 9000) y[9000] = 0.25;
      const run = () => {
        const out = new Float32Array(n);
        const both = binaryCrossEntropy.valueAndGrad({ data: x, shape: [n] }, { data: y, shape: [n] }, { out, reduction: 'sum' });
        return { value: both.value, grad: Array.from(out), alone: binaryCrossEntropy({ data: x, shape: [n] }, { data: y, shape: [n] }, { reduction: 'sum' }) };
      };
      const { wasm, ts } = bothPaths(useWasmElementwise, run);
      expect(wasm.value, `n = ${n}`).toBe(ts.value);
      expect(wasm.alone).toBe(wasm.value);
      expect(wasm.alone).toBe(ts.alone);
      expect(wasm.grad).toEqual(ts.grad);
    }
  });

  it('bceF32 takes a block of hard targets (a number, not the NaN of a refusal), with the sum and gradient bits of the TypeScript loop', () => {
    // one block of the loop (8192 elements), whose 'sum' is that block's lanes added as the kernel adds them, and slopes at scale 1
    const n = BLOCK;
    const [x, y, out] = kernelArrays(n, 3) as [Float32Array, Float32Array, Float32Array];
    const u = uniform(47);
    for (let i = 0; i < n; i++) {
      x[i] = i % 5 === 0 ? u() ** 30 : u();
      y[i] = u() < 0.5 ? 0 : 1;
    }
    const k = softplusKernelsFor(x.buffer)!;
    const wasm = k.bceF32(x.byteOffset, y.byteOffset, out.byteOffset, n / 8, 1, 0, 0, 1);
    expect(Number.isNaN(wasm)).toBe(false);
    const grad = Array.from(out);
    useWasmElementwise(false);
    const tsOut = new Float32Array(n);
    const ts = binaryCrossEntropy.valueAndGrad({ data: Float32Array.from(x), shape: [n] }, { data: Float32Array.from(y), shape: [n] }, { reduction: 'sum', out: tsOut });
    useWasmElementwise(true);
    expect(Object.is(wasm, ts.value), `${wasm} vs ${String(ts.value)}`).toBe(true);
    expect(grad).toEqual(Array.from(tsOut));
  });

  it('binaryCrossEntropy reads and writes kernelArrays in place with bceF32, with the same bits', () => {
    const n = 3 * 8192 + 24;
    const [x, y, out] = kernelArrays(n, 3) as [Float32Array, Float32Array, Float32Array];
    const u = uniform(31);
    for (let i = 0; i < n; i++) {
      x[i] = u();
      y[i] = u() < 0.5 ? 0 : 1;
    }
    const run = () => ({ value: binaryCrossEntropy.valueAndGrad({ data: x, shape: [n] }, { data: y, shape: [n] }, { out }).value, grad: Array.from(out) });
    const { wasm, ts } = bothPaths(useWasmElementwise, run);
    expect(Object.is(wasm.value, ts.value)).toBe(true);
    expect(wasm.grad).toEqual(ts.grad);
  });

  it('binaryCrossEntropy still rejects a float32 probability outside [0, 1] with bceF32 on', () => {
    const x = new Float32Array(1000).fill(0.5);
    x[700] = 1.5;
    expect(() => binaryCrossEntropy.valueAndGrad({ data: x, shape: [1000] }, { data: new Float32Array(1000), shape: [1000] }, { out: new Float32Array(1000) })).toThrow(
      /input\[700\]/,
    );
  });
});
