import { afterEach, describe, expect, it } from 'vitest';
import type { Loss, ReductionOptions } from '../../src/core/losses/defineLoss';
import { huber } from '../../src/core/losses/huber';
import { mae } from '../../src/core/losses/mae';
import { mse } from '../../src/core/losses/mse';
import { smoothL1Loss } from '../../src/core/losses/smoothL1Loss';
import { kernelArrays } from '../../src/core/math/kernelArrays';
import { ELEMENTWISE_SLOPE_BOUNDS, elementwiseKernelsFor, useWasmElementwise, wasmElementwise } from '../../src/core/math/wasmElementwise';
import { gradientsNeedCheck } from '../../src/core/losses/elementwiseWasm';
import type { Values } from '../../src/core/tensor/types';
import { elementwiseModule } from '../../tools/generate/wasm/elementwiseKernelsSource';
import { uniform } from './ulp';
import { bothPaths } from '../helpers/paths';

afterEach(() => useWasmElementwise(true));

type AnyLoss = Loss<Values, ReductionOptions & Record<string, unknown>>;
const cases: [string, AnyLoss, Record<string, number>][] = [
  ['mse', mse, {}],
  ['mae', mae, {}],
  ['huber', huber, {}],
  ['huber', huber, { delta: 0.5 }],
  ['huber', huber, { delta: 2.5 }],
  ['smoothL1Loss', smoothL1Loss, {}],
  ['smoothL1Loss', smoothL1Loss, { beta: 0 }],
  ['smoothL1Loss', smoothL1Loss, { beta: 0.3 }],
];
/** The cases named by loss and options, e.g. `huber {"delta":0.5}`. */
const losses = cases.map(([name, loss, options]) => [Object.keys(options).length ? `${name} ${JSON.stringify(options)}` : name, loss, options] as const);

/** float32 inputs and targets with ties (x = y) and differences of exactly ±0.5, ±1, ±2.5, ±0.3. */
function data(n: number, seed: number): { x: Float32Array; y: Float32Array } {
  const u = uniform(seed);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = (u() - 0.5) * 8;
    y[i] = i % 13 === 0 ? x[i]! : i % 17 === 0 ? x[i]! + [0.5, -1, 2.5, -0.5, 1, -2.5][i % 6]! : (u() - 0.5) * 8;
  }
  return { x, y };
}

/** n ones against zeros, but x[at] = 3e38 and y[at] = -3e38: a difference of 6e38 (finite in float64, past float32's maximum). */
function wideApart(n: number, at: number): { n: number; x: Float32Array; y: Float32Array } {
  const x = new Float32Array(n).fill(1);
  const y = new Float32Array(n);
  x[at] = 3e38;
  y[at] = -3e38;
  return { n, x, y };
}

/** The message `run` throws, or 'no error'. */
function errorOf(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    return (e as Error).message;
  }
  return 'no error';
}

describe('the elementwise WebAssembly SIMD kernels', () => {
  it('fit in a module under 4 KB (browsers compile only that much synchronously)', () => {
    expect(elementwiseModule().length).toBeLessThan(4096);
  });

  it('load in this Node (WebAssembly SIMD), so the tests below compare two paths', () => {
    expect(wasmElementwise()).not.toBeNull();
  });

  it.each(losses)('%s on float32 arrays gives the same value, items and gradient bits with and without them', (_, loss, options) => {
    for (const n of [40000, 8193, 8200, 64, 65]) {
      const { x, y } = data(n, n);
      const input = { data: x, shape: [n] };
      const target = { data: y, shape: [n] };
      for (const reduction of ['mean', 'sum', 'none'] as const) {
        const run = () => {
          const out = new Float32Array(n);
          const both = loss.valueAndGrad(input, target, { ...options, reduction, out });
          const grad = new Float32Array(n);
          loss.grad(input, target, { ...options, reduction, out: grad });
          return { value: both.value, grad: Array.from(out), gradAlone: Array.from(grad), alone: loss(input, target, { ...options, reduction }) };
        };
        const { wasm, ts } = bothPaths(useWasmElementwise, run);
        expect(wasm.value, `n = ${n}, ${reduction}`).toEqual(ts.value);
        expect(wasm.alone, `n = ${n}, ${reduction}`).toEqual(ts.alone);
        expect(wasm.alone).toEqual(wasm.value);
        expect(wasm.grad).toEqual(ts.grad);
        expect(wasm.gradAlone).toEqual(ts.grad);
      }
    }
  });

  it('give the same bits on the arrays of kernelArrays, read and written in place', () => {
    const n = 50000;
    const { x, y } = data(n, 7);
    const [input, target, grad] = kernelArrays(n, 3);
    input!.set(x);
    target!.set(y);
    for (const [name, loss, options] of losses) {
      const out = new Float32Array(n);
      const plain = loss.valueAndGrad(x, y, { ...options, out }).value;
      const inPlace = loss.valueAndGrad(input!, target!, { ...options, out: grad }).value;
      useWasmElementwise(false);
      const ts = loss.valueAndGrad(input!, target!, { ...options, out: new Float32Array(n) }).value;
      useWasmElementwise(true);
      expect(inPlace, name).toBe(plain);
      expect(ts, name).toBe(plain);
      expect(Array.from(grad!), name).toEqual(Array.from(out));
    }
  });

  it('keep the arrays of kernelArrays attached while other kernels and arrays are made', () => {
    const [a] = kernelArrays(1000);
    a!.fill(2);
    kernelArrays(1 << 20, 2);
    mse.valueAndGrad(new Float32Array(1 << 18), new Float32Array(1 << 18), { out: new Float32Array(1 << 18) });
    expect(a!.length).toBe(1000);
    expect(mse(a!, new Float32Array(1000))).toBe(4);
  });

  it('kernelArrays rejects a length or count that is not a non-negative integer', () => {
    expect(() => kernelArrays(-1)).toThrow('kernelArrays: length must be an integer >= 0, got -1');
    expect(() => kernelArrays(2.5)).toThrow('kernelArrays: length must be an integer >= 0, got 2.5');
    expect(() => kernelArrays(4, 0)).toThrow('kernelArrays: count must be an integer >= 1, got 0');
    expect(() => kernelArrays(2 ** 29, 2)).toThrow(/kernelArrays: length \* count must be at most 2147352576 bytes, got 4294967296 bytes/);
    expect(kernelArrays(0, 2).map((a) => a.length)).toEqual([0, 0]);
  });

  it('mse names a gradient that overflows float32, with the kernels on as without', () => {
    const { n, x, y } = wideApart(4096, 3001);
    const { wasm, ts } = bothPaths(useWasmElementwise, () =>
      errorOf(() => mse.grad({ data: x, shape: [n] }, { data: y, shape: [n] }, { reduction: 'sum', out: new Float32Array(n) })),
    );
    expect(wasm).toMatch(/mse: .*gradient at input\[3001\]/);
    expect(ts).toBe(wasm);
    // the value alone is finite (3.6e77 in float64, the 4095 ones below its half-ulp): no gradient, no error
    const both = bothPaths(useWasmElementwise, () => mse({ data: x, shape: [n] }, { data: y, shape: [n] }, { reduction: 'sum' }));
    expect(both.wasm).toBe(both.ts);
    const d = 2 * Math.fround(3e38);
    expect(both.wasm).toBe(d * d);
  });

  it('huber names a gradient that overflows float32 where |c| δ passes the float32 maximum (its kernel then checks)', () => {
    const { n, x, y } = wideApart(4096, 2050);
    // δ = 1e39 and the sum: |c| δ > 3.4e38, and the slope d = 6e38 is Infinity in float32 (mae's
    // and smoothL1Loss's slopes, at most |c| <= 1, never overflow)
    const { wasm, ts } = bothPaths(useWasmElementwise, () =>
      errorOf(() => huber.grad({ data: x, shape: [n] }, { data: y, shape: [n] }, { delta: 1e39, reduction: 'sum', out: new Float32Array(n) })),
    );
    expect(wasm).toMatch(/huber: .*gradient at input\[2050\]/);
    expect(ts).toBe(wasm);
  });

  it("skip the gradients' test only where none can overflow: gradientsNeedCheck", () => {
    expect(gradientsNeedCheck(1, Infinity)).toBe(true);
    expect(gradientsNeedCheck(1e-300, Infinity)).toBe(true);
    expect(gradientsNeedCheck(1, 1)).toBe(false);
    expect(gradientsNeedCheck(-1, 3.4028234663852886e38)).toBe(false);
    expect(gradientsNeedCheck(1, 3.402823466385289e38)).toBe(true);
    expect(gradientsNeedCheck(1e-6, 1e39)).toBe(false);
    expect(gradientsNeedCheck(NaN, 1)).toBe(true);
    expect(gradientsNeedCheck(Infinity, 1)).toBe(true);
    // each kernel's bound: mse unbounded, mae and smoothL1Loss 1, huber δ
    expect(ELEMENTWISE_SLOPE_BOUNDS.mseF32(1, 0)).toBe(Infinity);
    expect([ELEMENTWISE_SLOPE_BOUNDS.maeF32(7, 0), ELEMENTWISE_SLOPE_BOUNDS.smoothL1F32(0.3, 0), ELEMENTWISE_SLOPE_BOUNDS.huberF32(2.5, 0)]).toEqual([1, 1, 2.5]);
  });

  it('run a block unchecked (check = 0) to the bits of the checked one, and checked return NaN for a gradient that overflows', () => {
    const n = 4096;
    const { x, y } = data(n, 11);
    const [xs, ys, out] = kernelArrays(n, 3) as [Float32Array, Float32Array, Float32Array];
    const k = elementwiseKernelsFor(xs.buffer)!;
    xs.set(x);
    ys.set(y);
    for (const name of ['mseF32', 'maeF32', 'huberF32', 'smoothL1F32'] as const) {
      const run = (check: number) => k[name](xs.byteOffset, ys.byteOffset, out.byteOffset, n >> 3, 1 / n, 1, 0, check);
      expect(run(0), name).toBe(run(1));
      expect(Number.isFinite(run(0))).toBe(true);
    }
    // mse with c = 1 on a difference of 6e38: its gradient 1.2e39 rounds to Infinity in float32
    xs[9] = 3e38;
    ys[9] = -3e38;
    const mseBlock = (check: number) => k.mseF32(xs.byteOffset, ys.byteOffset, out.byteOffset, n >> 3, 1, 1, 0, check);
    expect(mseBlock(1)).toBeNaN();
    expect(out[9]).toBe(Infinity);
    expect(Number.isFinite(mseBlock(0))).toBe(true);
  });

  it("maeF32 stores the loop's slope, x > y ? c : x < y ? -c : 0, for every pair of ±0, ±Infinity, NaN, extremes and subnormals", () => {
    const specials = [NaN, Infinity, -Infinity, 0, -0, 1, -1, 2 ** -149, -(2 ** -149), 3.4028234663852886e38, -3.4028234663852886e38, 1 + 2 ** -23];
    const n = 8 * Math.ceil((specials.length * specials.length) / 8);
    const [xs, ys, out] = kernelArrays(n, 3) as [Float32Array, Float32Array, Float32Array];
    specials.forEach((a, i) => specials.forEach((b, j) => ((xs[i * specials.length + j] = a), (ys[i * specials.length + j] = b))));
    const k = elementwiseKernelsFor(xs.buffer)!;
    for (const c of [0.25, -0.5]) {
      out.fill(7);
      k.maeF32(xs.byteOffset, ys.byteOffset, out.byteOffset, n >> 3, c, 0, 0, 0);
      for (let i = 0; i < n; i++) {
        const [x, y] = [xs[i]!, ys[i]!];
        expect(Object.is(out[i], Math.fround(x > y ? c : x < y ? -c : 0)), `x = ${x}, y = ${y}, c = ${c}: ${out[i]}`).toBe(true);
      }
    }
  });

  it('still name a NaN or an Infinity in a float32 input with the kernels on', () => {
    for (const bad of [NaN, Infinity]) {
      const x = new Float32Array(1000).fill(0.5);
      x[777] = bad;
      for (const [name, loss] of cases) {
        expect(() => loss.valueAndGrad(x, new Float32Array(1000), { out: new Float32Array(1000) }), name).toThrow(`${name}: input[777] must be a finite number, got ${bad}`);
      }
    }
  });
});
