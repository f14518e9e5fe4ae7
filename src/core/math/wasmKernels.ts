import { KERNELS_WASM_BASE64 } from './wasmBinary';
import { decodeBase64, instantiateWasm, lazyWasm, type WasmMemory } from './wasmModule';
import { writeExpLogTables } from './wasmTables';

/**
 * WebAssembly SIMD (f64x2) versions of the hottest row kernels, written in
 * tools/generate/wasm/lossKernelsSource.ts and embedded as base64 by `npm run generate`, so the package
 * stays dependency-free and browser-safe. Each kernel follows its TypeScript counterpart
 * operation for operation and gives the same bits; where WebAssembly or its SIMD is missing
 * (or `useWasmKernels(false)`), the TypeScript path runs instead.
 */

/** The kernels' exports; pointers are byte offsets into `memory`. */
export interface WasmKernels {
  readonly memory: WasmMemory;
  /** Writes the kernels' constants into memory (once, at load). */
  init(): void;
  /**
   * crossEntropy's class-index rows on float32 logits (hardRow in losses/softmaxRows.ts, the same
   * bits): gradient rows into `out`, each row's m, t and a 0 flag into res (3 f64 per row; flag 1:
   * the row is left to the caller); see tools/generate/wasm/lossKernelsSource.ts.
   */
  ceRowsF32(x: number, out: number, e: number, labels: number, res: number, rows: number, cols: number, scale: number, ignoreIndex: number): void;
}

/** Where the callers' buffers start in memory (below: the 2^(j/128) and log(c_i) tables, the constants). */
export const WASM_WORK_AT = 8192;

const kernels = lazyWasm(() => instantiateKernels<WasmKernels>(decodeBase64(KERNELS_WASM_BASE64)));

/** Turns the WebAssembly kernels on (default) or off, e.g. to compare both paths. */
export const useWasmKernels = kernels.use;

/** The instantiated kernels, or null where WebAssembly SIMD is unavailable or turned off. */
export const wasmKernels = kernels.get;

/**
 * Instantiates a kernels module (this one, or the tests' module of the same layout) and fills
 * its tables and constants; null where WebAssembly SIMD does not validate.
 */
export function instantiateKernels<K extends { readonly memory: WasmMemory; init(): void }>(bytes: Uint8Array | null): K | null {
  const exports = instantiateWasm<K>(bytes);
  if (!exports) return null;
  writeExpLogTables(exports.memory.buffer, 0, 2048);
  exports.init();
  return exports;
}
