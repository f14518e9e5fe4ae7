import { afterEach, describe, expect, it } from 'vitest';
import { crossEntropy } from '../../src/core/losses/crossEntropy';
import { expUnchecked } from '../../src/core/math/fastExp';
import { fastLogNormal } from '../../src/core/math/fastLog';
import { instantiateKernels, useWasmKernels, WASM_WORK_AT, wasmKernels } from '../../src/core/math/wasmKernels';
import { reserveWasmMemory } from '../../src/core/math/wasmModule';
import { kernelsModule, testModule } from '../../tools/generate/wasm/lossKernelsSource';
import { uniform } from './ulp';
import { bothPaths } from '../helpers/paths';

/** vexp and vlog alone, in a module of the embedded one's layout. */
interface TestKernels {
  memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  init(): void;
  expPairs(inPtr: number, outPtr: number, n: number): void;
  logPairs(aPtr: number, tPtr: number, outPtr: number, n: number): void;
  logNearOnePairs(aPtr: number, tPtr: number, outPtr: number, n: number): void;
}

afterEach(() => useWasmKernels(true));

describe('the WebAssembly SIMD kernels', () => {
  it('fit in a module under 4 KB (browsers compile only that much synchronously)', () => {
    expect(kernelsModule().length).toBeLessThan(4096);
  });

  it('load in this Node (WebAssembly SIMD), so the tests below compare two paths', () => {
    expect(wasmKernels()).not.toBeNull();
  });

  it('vexp gives expUnchecked bits (so fastExp bits) on [-708.39, 709.78]', () => {
    const k = instantiateKernels<TestKernels>(testModule())!;
    const n = 200000;
    reserveWasmMemory(k, WASM_WORK_AT + 16 * n);
    const input = new Float64Array(k.memory.buffer, WASM_WORK_AT, n);
    const u = uniform(21);
    for (let i = 0; i < n; i++) input[i] = i < n / 2 ? -708.39 + 1418.17 * u() : -30 * u();
    input.set([0, -0, -708.39, 709.78, 1e-300, -1e-300]);
    k.expPairs(WASM_WORK_AT, WASM_WORK_AT + 8 * n, n);
    const output = new Float64Array(k.memory.buffer, WASM_WORK_AT + 8 * n, n);
    for (let i = 0; i < n; i++) {
      if (!Object.is(output[i], expUnchecked(input[i]!))) expect.fail(`exp(${input[i]}): wasm ${output[i]}, ts ${expUnchecked(input[i]!)}`);
    }
  });

  it('vlog gives fastLogNormal bits for a in [2^-1022, 2^1022 √2), with and without a low part', () => {
    const k = instantiateKernels<TestKernels>(testModule())!;
    const n = 200000;
    reserveWasmMemory(k, WASM_WORK_AT + 24 * n);
    const a = new Float64Array(k.memory.buffer, WASM_WORK_AT, n);
    const t = new Float64Array(k.memory.buffer, WASM_WORK_AT + 8 * n, n);
    const u = uniform(23);
    for (let i = 0; i < n; i++) {
      const p = i % 3 === 0 ? u() : i % 3 === 1 ? u() ** 30 : 2 ** (-1022 * u());
      const q = 1 - p;
      a[i] = i % 2 ? Math.max(p, 2.2250738585072014e-308) : q;
      t[i] = i % 2 ? 0 : 1 - q - p;
    }
    // log1p's arguments 1 + e, e in (0, 1], with the exact rest (as bceLogitsBlock passes them), and large a
    for (let i = 0; i < n; i += 5) {
      const e = i % 2 ? u() : u() ** 20;
      const w = 1 + e;
      const wb = w - 1;
      a[i] = i % 10 === 5 ? 2 ** (1022 * u()) : w;
      t[i] = i % 10 === 5 ? 0 : 1 - (w - wb) + (e - wb);
    }
    a.set([2.2250738585072014e-308, 1, 0.5, 0.7071067811865476, 2, 1.4142135623730951, 2 ** 1022 * 1.4142, 2 ** -1022 * 1.5]);
    t.set([0, 0, 0, 0, 0, 0, 0, 0]);
    k.logPairs(WASM_WORK_AT, WASM_WORK_AT + 8 * n, WASM_WORK_AT + 16 * n, n);
    const out = new Float64Array(k.memory.buffer, WASM_WORK_AT + 16 * n, n);
    for (let i = 0; i < n; i++) {
      if (!Object.is(out[i], fastLogNormal(a[i]!, t[i]!))) expect.fail(`log(${a[i]} + ${t[i]}): wasm ${out[i]}, ts ${fastLogNormal(a[i]!, t[i]!)}`);
    }
  });

  it('vlogNearOne gives fastLogNormal bits for a in [√2/2, √2), with and without a low part', () => {
    const k = instantiateKernels<TestKernels>(testModule())!;
    const n = 200000;
    reserveWasmMemory(k, WASM_WORK_AT + 24 * n);
    const a = new Float64Array(k.memory.buffer, WASM_WORK_AT, n);
    const t = new Float64Array(k.memory.buffer, WASM_WORK_AT + 8 * n, n);
    const u = uniform(29);
    for (let i = 0; i < n; i++) {
      // logCosh's 1 + z with its exact rest, z in [0, 0.34] (many tiny), and plain a across the range
      const z = i % 3 === 0 ? 0.34 * u() : 0.34 * u() ** 25;
      const w = 1 + z;
      const wb = w - 1;
      a[i] = i % 4 === 3 ? Math.SQRT1_2 + (Math.SQRT2 - Math.SQRT1_2) * u() : w;
      t[i] = i % 4 === 3 ? 0 : 1 - (w - wb) + (z - wb);
    }
    a.set([1, 0.7071067811865476, 1.414213562373095, 1.3374, 1 + 2 ** -52, 1 - 2 ** -53]);
    t.set([0, 0, 0, 0, 2 ** -106, 0]);
    k.logNearOnePairs(WASM_WORK_AT, WASM_WORK_AT + 8 * n, WASM_WORK_AT + 16 * n, n);
    const out = new Float64Array(k.memory.buffer, WASM_WORK_AT + 16 * n, n);
    for (let i = 0; i < n; i++) {
      if (!Object.is(out[i], fastLogNormal(a[i]!, t[i]!))) expect.fail(`log(${a[i]} + ${t[i]}): wasm ${out[i]}, ts ${fastLogNormal(a[i]!, t[i]!)}`);
    }
  });

  it('crossEntropy on float32 logits gives the same value, items and gradient bits with and without them', () => {
    const u = uniform(22);
    for (const [rows, cols] of [
      [300, 1000],
      [7, 17],
      [33, 64],
      [5, 16],
      [2, 4097],
      [4, 130],
      [100, 10],
    ] as const) {
      const x = new Float32Array(rows * cols);
      for (let i = 0; i < x.length; i++) x[i] = (u() - 0.5) * 8;
      const labels = Int32Array.from({ length: rows }, () => Math.floor(u() * cols));
      // rows the kernel leaves to TypeScript (an ignored label, a wide row), a confident row
      // whose label is its max, a tie at the max, and an odd column count's last element as max
      if (rows > 4) {
        labels[1] = -100;
        x[2 * cols] = -800;
        x[3 * cols + labels[3]!] = 60;
        x[4 * cols] = x[4 * cols + 1] = 9;
        labels[4] = 1;
        x[cols - 1] = 30;
        labels[0] = cols - 1;
      }
      const input = { data: x, shape: [rows, cols] };
      for (const reduction of ['mean', 'sum', 'none'] as const) {
        const run = () => {
          const out = new Float32Array(rows * cols);
          const both = crossEntropy.valueAndGrad(input, labels, { reduction, out });
          return { value: both.value, grad: Array.from(out), alone: crossEntropy(input, labels, { reduction }) };
        };
        const { wasm, ts } = bothPaths(useWasmKernels, run);
        expect(wasm.value, `${rows}x${cols} ${reduction}`).toEqual(ts.value);
        expect(wasm.alone).toEqual(ts.alone);
        expect(wasm.alone).toEqual(wasm.value);
        expect(wasm.grad).toEqual(ts.grad);
      }
    }
  });

  it('crossEntropy rejects ±Infinity in float32 logits with the kernels on, as without', () => {
    for (const bad of [Infinity, -Infinity]) {
      const x = new Float32Array(40 * 20).fill(0.5);
      x[5 * 20 + 3] = bad;
      const labels = new Int32Array(40);
      labels[5] = -100;
      const message = `crossEntropy: input[103] must be a finite number, got ${bad}`;
      const { wasm, ts } = bothPaths(useWasmKernels, () => {
        try {
          crossEntropy.valueAndGrad({ data: x, shape: [40, 20] }, labels, { out: new Float32Array(800) });
        } catch (e) {
          return (e as Error).message;
        }
        return 'no error';
      });
      expect(wasm).toBe(message);
      expect(ts).toBe(message);
      labels[5] = 0;
      expect(() => crossEntropy({ data: x, shape: [40, 20] }, labels)).toThrow(message);
    }
  });

  it('crossEntropy still names a NaN in float32 logits with the kernels on', () => {
    const x = new Float32Array(40 * 20).fill(0.5);
    x[3 * 20 + 7] = NaN;
    const labels = new Int32Array(40);
    expect(() => crossEntropy.valueAndGrad({ data: x, shape: [40, 20] }, labels, { out: new Float32Array(800) })).toThrow(/input\[67\] must be a finite number, got NaN/);
    expect(() => crossEntropy({ data: x, shape: [40, 20] }, labels)).toThrow(/input\[67\]/);
  });
});
