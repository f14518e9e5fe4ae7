import { afterEach, describe, expect, it } from 'vitest';
import { Linear, Random } from '../../src';
import { useWasmGemm, wasmGemm } from '../../src/core/math/wasmGemm';
import { accumulateOuterTs, matmulTransposedTs } from '../../src/core/training/linearKernels';
import { accumulateOuterWasm, matmulTransposedWasm } from '../../src/core/training/linearWasm';
import { gemmModule } from '../../tools/generate/wasm/gemmKernelsSource';

afterEach(() => useWasmGemm(true));

/** Random x (Float32 or Float64), w, b, g and a starting gw for a shape. */
function operands(rng: Random, n: number, inF: number, outF: number, f32: boolean) {
  const x = f32 ? new Float32Array(n * inF) : new Float64Array(n * inF);
  for (let i = 0; i < x.length; i++) x[i] = rng.normal();
  const vec = (len: number) => Float64Array.from({ length: len }, () => rng.normal());
  return { x, w: vec(outF * inF), b: vec(outF), g: vec(n * outF), gw: vec(outF * inF), gb: vec(outF) };
}

/** Expects |got - want| <= 1e-12 · scale elementwise: a relative bound on the sum of |terms|, robust to cancellation. */
function expectNear(got: Float64Array, want: Float64Array, scale: Float64Array, what: string): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    if (!(Math.abs(got[i]! - want[i]!) <= 1e-12 * scale[i]!)) expect.fail(`${what}[${i}]: ${got[i]} vs ${want[i]} (scale ${scale[i]})`);
  }
}

describe('the WebAssembly SIMD GEMM kernels of Linear', () => {
  it('fit in a module under 4 KB (browsers compile only that much synchronously)', () => {
    expect(gemmModule().length).toBeLessThan(4096);
  });

  it('load in this Node, so the tests below compare two paths', () => {
    expect(wasmGemm()).not.toBeNull();
  });

  it('agree with the TypeScript kernels and a naive float64 product on odd and even shapes, float32 and float64 x', () => {
    const k = wasmGemm()!;
    const rng = new Random(7);
    const shapes: Array<[number, number]> = [
      [1, 1],
      [1, 3],
      [2, 4],
      [3, 5],
      [5, 7],
      [8, 13],
      [17, 33],
      [64, 784],
      [7, 130],
      [33, 1],
    ];
    for (const [n, inF] of shapes) {
      for (let outF = 1; outF <= 13; outF++) {
        for (const f32 of [true, false]) {
          const what = `n=${n} in=${inF} out=${outF} ${f32 ? 'f32' : 'f64'}`;
          const { x, w, b, g, gw, gb } = operands(rng, n, inF, outF, f32);
          // naive references and their scales Σ|terms|
          const yRef = new Float64Array(n * outF),
            yScale = new Float64Array(n * outF);
          for (let r = 0; r < n; r++) {
            for (let o = 0; o < outF; o++) {
              let s = b[o]!,
                m = Math.abs(b[o]!);
              for (let c = 0; c < inF; c++) {
                s += x[r * inF + c]! * w[o * inF + c]!;
                m += Math.abs(x[r * inF + c]! * w[o * inF + c]!);
              }
              yRef[r * outF + o] = s;
              yScale[r * outF + o] = m;
            }
          }
          const gwRef = gw.slice(),
            gwScale = gw.map(Math.abs);
          for (let r = 0; r < n; r++) {
            for (let o = 0; o < outF; o++) {
              for (let c = 0; c < inF; c++) {
                const p = g[r * outF + o]! * x[r * inF + c]!;
                gwRef[o * inF + c]! += p;
                gwScale[o * inF + c]! += Math.abs(p);
              }
            }
          }
          const yWasm = new Float64Array(n * outF).fill(NaN),
            yTs = new Float64Array(n * outF);
          matmulTransposedWasm(k, x, w, b, yWasm, n, inF, outF);
          matmulTransposedTs(x, w, b, yTs, n, inF, outF);
          expectNear(yWasm, yTs, yScale, `${what} forward wasm vs ts`);
          expectNear(yWasm, yRef, yScale, `${what} forward wasm vs naive`);
          const gwWasm = gw.slice(),
            gwTs = gw.slice(),
            gbWasm = gb.slice(),
            gbTs = gb.slice();
          accumulateOuterWasm(k, g, x, gwWasm, gbWasm, n, inF, outF);
          accumulateOuterTs(g, x, gwTs, gbTs, n, inF, outF);
          expectNear(gwWasm, gwTs, gwScale, `${what} backward wasm vs ts`);
          expectNear(gwWasm, gwRef, gwScale, `${what} backward wasm vs naive`);
          expect(Array.from(gbWasm)).toEqual(Array.from(gbTs));
        }
      }
    }
  });

  it('leave the outputs alone for an empty batch', () => {
    const k = wasmGemm()!;
    const { x, w, b, gw, gb } = operands(new Random(3), 0, 5, 3, true);
    const gw0 = gw.slice();
    matmulTransposedWasm(k, x, w, b, new Float64Array(0), 0, 5, 3);
    accumulateOuterWasm(k, new Float64Array(0), x, gw, gb, 0, 5, 3);
    expect(Array.from(gw)).toEqual(Array.from(gw0));
  });

  it('give Linear the same training step (to summation order) with and without them, on the MNIST shape', () => {
    const rng = new Random(11);
    const x = { data: Float32Array.from({ length: 64 * 784 }, () => rng.uniform(0, 1)), shape: [64, 784] };
    const g = { data: Float64Array.from({ length: 64 * 10 }, () => rng.normal()), shape: [64, 10] };
    const run = (on: boolean) => {
      useWasmGemm(on);
      const layer = new Linear(784, 10, new Random(5));
      const y = layer.forward(x).data;
      layer.backward(x, g);
      return { y, gw: layer.gradWeight, gb: layer.gradBias };
    };
    const wasm = run(true),
      ts = run(false);
    for (const [a, b] of [
      [wasm.y, ts.y],
      [wasm.gw, ts.gw],
    ] as const) {
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i]! - b[i]!)).toBeLessThanOrEqual(1e-11 * (1 + Math.abs(b[i]!)));
    }
    expect(Array.from(wasm.gb)).toEqual(Array.from(ts.gb));
  });

  it('write nothing and report false when their memory cannot grow, so Linear falls back to TypeScript', () => {
    const full = new ArrayBuffer(65536);
    const k = {
      ...wasmGemm()!,
      memory: {
        buffer: full,
        grow: (): number => {
          throw new RangeError('Maximum memory size exceeded');
        },
      },
    };
    const { x, w, b, g, gw, gb } = operands(new Random(8), 64, 784, 10, true);
    const y = new Float64Array(640).fill(-1);
    const gw0 = gw.slice(),
      gb0 = gb.slice();
    expect(matmulTransposedWasm(k, x, w, b, y, 64, 784, 10)).toBe(false);
    expect(accumulateOuterWasm(k, g, x, gw, gb, 64, 784, 10)).toBe(false);
    expect(y.every((v) => v === -1)).toBe(true);
    expect(Array.from(gw)).toEqual(Array.from(gw0));
    expect(Array.from(gb)).toEqual(Array.from(gb0));
  });
});
