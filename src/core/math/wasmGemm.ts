import { GEMM_WASM_BASE64 } from './wasmGemmBinary';
import { decodeBase64, instantiateWasm, lazyWasm, type WasmMemory } from './wasmModule';

/**
 * The WebAssembly SIMD (f64x2) GEMM kernels of `Linear`, written in
 * tools/generate/wasm/gemmKernelsSource.ts and embedded as base64 by `npm run generate` (a
 * module under 4 KB, so browsers compile it synchronously on the main thread). Where
 * WebAssembly or its SIMD is missing, or compiling fails, or `useWasmGemm(false)`, callers run
 * their TypeScript kernels instead.
 */

/** The kernels' exports; pointers are byte offsets into `memory`; see tools/generate/wasm/gemmKernelsSource.ts. */
export interface WasmGemm {
  readonly memory: WasmMemory;
  /** y[r, o] = b[o] + Σ_k x[r, k] w[o, k], x float32 rows of kp entries (kp % 4 = 0), rows even. */
  forwardF32(x: number, w: number, b: number, y: number, rows: number, kp: number, outF: number): void;
  /** As forwardF32 for float64 x. */
  forwardF64(x: number, w: number, b: number, y: number, rows: number, kp: number, outF: number): void;
  /** gw[o, k] += Σ_r g[r, o] x[r, k], g splatted to f64x2 pairs, x float32 rows of kp entries. */
  backwardF32(x: number, gs: number, gw: number, rows: number, kp: number, outF: number): void;
  /** As backwardF32 for float64 x. */
  backwardF64(x: number, gs: number, gw: number, rows: number, kp: number, outF: number): void;
}

const gemm = lazyWasm(() => instantiateWasm<WasmGemm>(decodeBase64(GEMM_WASM_BASE64)));

/** Turns the WebAssembly GEMM kernels on (default) or off, e.g. to compare both paths. */
export const useWasmGemm = gemm.use;

/** The instantiated kernels, or null where WebAssembly SIMD is unavailable or turned off. */
export const wasmGemm = gemm.get;
