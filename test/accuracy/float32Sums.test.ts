/**
 * The elementwise losses on float32 arrays sum in eight plain lanes folded every 64 elements
 * into a compensated block sum (sumLoop, math/laneSums.ts, the WebAssembly kernels' octetLoop):
 * their mean over 1e6 elements is within an ulp of the exact mean of the float64 terms, as on
 * float64 arrays (compensated lanes) and as PyTorch float64's pairwise sums. With the lanes run
 * over whole blocks of 8192, mse was 1.5e-15 (14 ulps) off on such data.
 */
import { describe, expect, it } from 'vitest';
import { huber, mae, mse, Random, smoothL1Loss } from '../../src';
import { useWasmElementwise } from '../../src/core/math/wasmElementwise';
import { bothPaths } from '../helpers/paths';

const N = 1_000_000;

/** Float32 x ~ N(0, 1) and y = x + N(0, 1), as the bench's elementwise data. */
function data(seed: number) {
  const rng = new Random(seed);
  const x = new Float32Array(N);
  const y = new Float32Array(N);
  for (let i = 0; i < N; i++) x[i] = rng.normal();
  for (let i = 0; i < N; i++) y[i] = x[i]! + rng.normal();
  return { x, y };
}

/** The exact sum of the terms, as a double-double (TwoSum of each term and its error term). */
function exactMean(terms: (d: number) => [number, number], x: Float32Array, y: Float32Array): number {
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < x.length; i++) {
    for (const p of terms(x[i]! - y[i]!)) {
      const s = hi + p;
      const bb = s - hi;
      const e = hi - (s - bb) + (p - bb) + lo;
      hi = s + e;
      lo = e - (hi - s);
    }
  }
  return (hi + lo) / x.length;
}

/** d² as a float64 and its rounding error (Dekker's product), the exact square as two terms. */
function square(d: number): [number, number] {
  const p = d * d;
  const c = 134217729 * d;
  const h = c - (c - d);
  const l = d - h;
  return [p, h * h - p + 2 * h * l + l * l];
}

const ulp = (x: number) => 2 ** (Math.floor(Math.log2(Math.abs(x))) - 52);

describe('elementwise means over 1e6 float32 elements are within an ulp of the exact mean', () => {
  const { x, y } = data(2026);
  const t = (a: Float32Array) => ({ data: a, shape: [N] });
  it.each<[string, (x: Float32Array, y: Float32Array) => number, (d: number) => [number, number]]>([
    ['mse', (a, b) => mse(t(a), t(b)), square],
    ['mae', (a, b) => mae(t(a), t(b)), (d) => [Math.abs(d), 0]],
    // |d| <= 1: d² / 2 (exact halving of the exact square); else |d| - 1/2 (exact for these float32 d)
    ['huber', (a, b) => huber(t(a), t(b)), (d) => (Math.abs(d) <= 1 ? (square(d).map((v) => 0.5 * v) as [number, number]) : [Math.abs(d) - 0.5, 0])],
    ['smoothL1Loss', (a, b) => smoothL1Loss(t(a), t(b)), (d) => (Math.abs(d) < 1 ? (square(d).map((v) => 0.5 * v) as [number, number]) : [Math.abs(d) - 0.5, 0])],
  ])('%s, in WebAssembly and in TypeScript', (_name, loss, terms) => {
    const exact = exactMean(terms, x, y);
    const { wasm, ts } = bothPaths(useWasmElementwise, () => loss(x, y));
    expect(ts).toBe(wasm);
    expect(Math.abs(wasm - exact)).toBeLessThanOrEqual(ulp(exact));
  });
});
