import { CTC_WASM_BASE64 } from './wasmCtcBinary';
import { instantiateKernels } from './wasmKernels';
import { decodeBase64, lazyWasm, type WasmMemory } from './wasmModule';

/**
 * The WebAssembly SIMD (f64x2) frame of ctcLoss's forward recursion (alphaRow in
 * losses/ctcKernel.ts, the same bits), written in tools/generate/wasm/ctcKernelsSource.ts and
 * embedded as base64 by `npm run generate` (a module under 4 KB). Its memory holds the exp and
 * log tables at 0 and 2048, its constants at 4096, and the recursion's buffers from CTC_WORK_AT
 * (losses/ctcWasm.ts). Where WebAssembly SIMD is missing, or `useWasmCtc(false)`, alphaRow runs.
 */
export interface WasmCtc {
  readonly memory: WasmMemory;
  /** Writes the kernel's constants into memory (once, at load). */
  init(): void;
  /**
   * α_t of `count` consecutive states and, with shares = 1, their shares (byte offsets: prev and
   * prevLo are α_{t-1} and its low parts of the first state minus 2); 1 when the frame must be
   * redone in TypeScript (see tools/generate/wasm/ctcKernelsSource.ts).
   */
  alphaPairs(prev: number, prevLo: number, dst: number, dstLo: number, emit: number, skip: number, sa: number, sb: number, sc: number, count: number, shares: number): number;
  /** γ_t of `count` consecutive states from γ_{t+1} and frame t + 1's shares (byte offsets), as gammaRow. */
  gammaPairs(src: number, dst: number, sa: number, sb: number, sc: number, count: number): void;
}

/** Where the recursion's buffers start in memory (below: the tables and the constants). */
export const CTC_WORK_AT = 8192;

const ctc = lazyWasm(() => instantiateKernels<WasmCtc>(decodeBase64(CTC_WASM_BASE64)));

/** Turns the CTC kernel on (default) or off, e.g. to compare both paths. */
export const useWasmCtc = ctc.use;

/** The instantiated kernel, or null where WebAssembly SIMD is unavailable or turned off. */
export const wasmCtc = ctc.get;
