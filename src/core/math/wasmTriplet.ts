import { onElementwiseMemory } from './wasmElementwise';
import { decodeBase64, instantiateWasm } from './wasmModule';
import { TRIPLET_WASM_BASE64 } from './wasmTripletBinary';

/**
 * The WebAssembly SIMD (f64x2) rows of tripletMarginLoss at p = 2 without the swap, on float32
 * anchor, positive and negative, written in tools/generate/wasm/tripletKernelsSource.ts and
 * embedded as base64 by `npm run generate` (a module under 4 KB). The module imports its memory:
 * it runs on the memory of the elementwise kernels (wasmElementwise.ts: the shared one, or a
 * kernelArrays arena), so the arrays of kernelArrays are read in place; it is on and off with
 * them (`useWasmElementwise`). Each row gives the bits of euclideanRow, or is left to it.
 */

/**
 * rows(a, p, n, ga, gp, gn, res, rows, cols, margin, eps, scale, grad): `rows` rows of `cols`
 * (even) float32 elements at byte offsets a, p, n; per row its loss and a flag into res (two f64:
 * flag 1 where the row is left to the caller), and with grad 1 its three gradients into ga, gp,
 * gn (float32 or float64, by the kernel).
 */
export type TripletRows = (
  a: number,
  p: number,
  n: number,
  ga: number,
  gp: number,
  gn: number,
  res: number,
  rows: number,
  cols: number,
  margin: number,
  eps: number,
  scale: number,
  grad: number,
) => void;

export interface WasmTriplet {
  readonly tripletRowsF32: TripletRows;
  readonly tripletRowsF64: TripletRows;
}

/** Where a call's staged rows and results sit in the shared memory (tools/generate/wasm/tripletKernelsSource.ts). */
export const TRIPLET_BLOCK = 3584;
export const TRIPLET_RES_AT = 86016;
export const TRIPLET_RES_ROWS = 768;

let bytes: Uint8Array | null | undefined;

/** The rows on the memory of the elementwise kernels that hold `buffer` (or the shared ones); null where off or missing. */
export const tripletKernelsFor = onElementwiseMemory<WasmTriplet>((memory) => {
  if (bytes === undefined) bytes = decodeBase64(TRIPLET_WASM_BASE64);
  const k = instantiateWasm<WasmTriplet>(bytes, { env: { memory } });
  return k ? { tripletRowsF32: k.tripletRowsF32, tripletRowsF64: k.tripletRowsF64 } : null;
});
