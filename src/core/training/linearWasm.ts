import { wasmGemm, type WasmGemm } from '../math/wasmGemm';
import { reserveWasmMemory } from '../math/wasmModule';
import type { FloatArray } from '../tensor/types';
import { accumulateOuterTs, matmulTransposedTs } from './linearKernels';

/**
 * `Linear`'s two GEMMs, on the WebAssembly SIMD kernels of ../math/wasmGemm.ts when they load
 * and the product is big enough to pay for copying the operands into their memory, else on the
 * TypeScript kernels of linearKernels.ts. Both give the same sums up to their order.
 */

/**
 * The kernels for a shape where they pay (measured on Node 20): at least 4096 multiply-adds, and
 * rows that need no padding or are long enough to amortize copying them one by one; else null.
 */
function kernelsFor(n: number, inF: number, outF: number): WasmGemm | null {
  return n * inF * outF >= 4096 && (inF % 4 === 0 || inF >= 96) ? wasmGemm() : null;
}

/** y = x wᵀ + b for x `[n, inF]`, w `[outF, inF]`, into y `[n, outF]`. */
export function matmulTransposed(x: FloatArray, w: Float64Array, b: Float64Array, y: Float64Array, n: number, inF: number, outF: number): void {
  const k = kernelsFor(n, inF, outF);
  if (!(k && matmulTransposedWasm(k, x, w, b, y, n, inF, outF))) matmulTransposedTs(x, w, b, y, n, inF, outF);
}

/** gw += gᵀ x and gb += Σ_n g for g `[n, outF]`, x `[n, inF]`. */
export function accumulateOuter(g: FloatArray, x: FloatArray, gw: Float64Array, gb: Float64Array, n: number, inF: number, outF: number): void {
  const k = kernelsFor(n, inF, outF);
  if (!(k && accumulateOuterWasm(k, g, x, gw, gb, n, inF, outF))) accumulateOuterTs(g, x, gw, gb, n, inF, outF);
}

/**
 * matmulTransposed on the kernels `k`: copies x (rows padded to a multiple of 4, and to an even
 * count), w and b in, y out. Returns false, having written nothing, when the kernels' memory
 * cannot grow to hold the operands (then the caller uses the TypeScript kernel).
 */
export function matmulTransposedWasm(k: WasmGemm, x: FloatArray, w: Float64Array, b: Float64Array, y: Float64Array, n: number, inF: number, outF: number): boolean {
  if (n === 0) return true;
  const kp = padded(inF);
  const rows = n + (n & 1);
  const f32 = x instanceof Float32Array;
  const xAt = 0;
  const wAt = xAt + rows * kp * (f32 ? 4 : 8);
  const bAt = wAt + outF * kp * 8;
  const yAt = bAt + 16 * Math.ceil(outF / 2);
  const buffer = reserve(k, yAt + rows * outF * 8);
  if (!buffer) return false;
  copyRows(f32 ? new Float32Array(buffer, xAt, rows * kp) : new Float64Array(buffer, xAt, rows * kp), x, n, inF, kp);
  if (rows > n) (f32 ? new Float32Array(buffer, xAt, rows * kp) : new Float64Array(buffer, xAt, rows * kp)).fill(0, n * kp);
  copyRows(new Float64Array(buffer, wAt, outF * kp), w, outF, inF, kp);
  new Float64Array(buffer, bAt, outF).set(b);
  if (f32) k.forwardF32(xAt, wAt, bAt, yAt, rows, kp, outF);
  else k.forwardF64(xAt, wAt, bAt, yAt, rows, kp, outF);
  y.set(new Float64Array(buffer, yAt, n * outF));
  return true;
}

/**
 * accumulateOuter on the kernels `k`: copies x, g (each entry twice) and gw in, gw out; gb in
 * TypeScript. Returns false, having changed nothing, when the kernels' memory cannot grow.
 */
export function accumulateOuterWasm(k: WasmGemm, g: FloatArray, x: FloatArray, gw: Float64Array, gb: Float64Array, n: number, inF: number, outF: number): boolean {
  if (n === 0) return true;
  const kp = padded(inF);
  const f32 = x instanceof Float32Array;
  const xAt = 0;
  const gsAt = xAt + n * kp * (f32 ? 4 : 8);
  const gwAt = gsAt + n * outF * 16;
  const buffer = reserve(k, gwAt + outF * kp * 8);
  if (!buffer) return false;
  for (let r = 0; r < n; r++) for (let o = 0; o < outF; o++) gb[o] = gb[o]! + g[r * outF + o]!;
  copyRows(f32 ? new Float32Array(buffer, xAt, n * kp) : new Float64Array(buffer, xAt, n * kp), x, n, inF, kp);
  const gs = new Float64Array(buffer, gsAt, 2 * n * outF);
  for (let i = 0, m = n * outF; i < m; i++) gs[2 * i] = gs[2 * i + 1] = g[i]!;
  const gwIn = new Float64Array(buffer, gwAt, outF * kp);
  copyRows(gwIn, gw, outF, inF, kp);
  if (f32) k.backwardF32(xAt, gsAt, gwAt, n, kp, outF);
  else k.backwardF64(xAt, gsAt, gwAt, n, kp, outF);
  if (kp === inF) gw.set(gwIn);
  else for (let o = 0; o < outF; o++) gw.set(gwIn.subarray(o * kp, o * kp + inF), o * inF);
  return true;
}

/** inF rounded up to a multiple of 4, the kernels' row length (arithmetic, not `& ~3`: inF may exceed 2^31 - 4). */
function padded(inF: number): number {
  return Math.ceil(inF / 4) * 4;
}

/** Copies `rows` rows of `cols` entries from src into dst's rows of `kp`, zeroing the padding. */
function copyRows(dst: FloatArray, src: FloatArray, rows: number, cols: number, kp: number): void {
  if (kp === cols) {
    dst.set(src.subarray(0, rows * cols));
    return;
  }
  for (let r = 0; r < rows; r++) {
    dst.set(src.subarray(r * cols, (r + 1) * cols), r * kp);
    dst.fill(0, r * kp + cols, (r + 1) * kp);
  }
}

/**
 * The kernels' memory buffer, grown to at least `bytes` (growing detaches earlier views); null
 * when it cannot grow that far (4 GiB at most, less where the engine refuses the allocation).
 */
function reserve(k: WasmGemm, bytes: number): ArrayBuffer | null {
  try {
    reserveWasmMemory(k, bytes);
  } catch {
    return null; // Memory.grow throws a RangeError past its maximum
  }
  return k.memory.buffer;
}
