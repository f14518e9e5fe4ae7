import { ELEMENTWISE_WASM_BASE64 } from './wasmElementwiseBinary';
import { decodeBase64, instantiateWasm, lazyWasm, reserveWasmMemory, type WasmMemory } from './wasmModule';

/**
 * The WebAssembly SIMD (f64x2) blocks of the elementwise losses (mse, mae, huber, smoothL1Loss)
 * on float32 arguments, written in tools/generate/wasm/elementwiseKernelsSource.ts and embedded
 * as base64 by `npm run generate` (a module under 4 KB, so browsers compile it synchronously).
 * Each gives the bits of the TypeScript loop (sumLoop in losses/elementwise.ts); where
 * WebAssembly or its SIMD is missing, or `useWasmElementwise(false)`, the loop runs instead.
 */

/**
 * One loss's block: over 8·octets float32 elements at byte offsets x, y, the gradients
 * f32(c ∂ℓ/∂x) into out, and the sum of the terms (each plus v - v for its stored gradient v when
 * check is 1) in sumLoop's eight lanes, added in its order; a and b are the loss's parameters.
 * check = 0 skips the gradients' test: only for calls where none can be ±Infinity or NaN.
 */
export type ElementwiseBlock = (x: number, y: number, out: number, octets: number, c: number, a: number, b: number, check: number) => number;

/** The kernels' exports; pointers are byte offsets into `memory`. */
export interface WasmElementwise {
  readonly memory: WasmMemory;
  mseF32: ElementwiseBlock;
  maeF32: ElementwiseBlock;
  huberF32: ElementwiseBlock;
  smoothL1F32: ElementwiseBlock;
}

/** The name of a loss's block in the module. */
export type ElementwiseKernelName = Exclude<keyof WasmElementwise, 'memory'>;

/**
 * The largest |∂ℓ/∂x| of each block's loss over finite arguments, at parameters a, b (Infinity
 * where unbounded): mse's 2 (x - y) grows with x - y; mae's slope is ±1 or 0; huber's is clamp(d,
 * -δ, δ) (a = δ); smoothL1Loss's clamp(d / β, -1, 1). Where |c| times it is at most the float32
 * maximum, no stored gradient f32(c ∂ℓ/∂x) can overflow (rounding is monotonic), so the block
 * runs unchecked (gradientsNeedCheck in elementwiseWasm.ts).
 */
export const ELEMENTWISE_SLOPE_BOUNDS: Readonly<Record<ElementwiseKernelName, (a: number, b: number) => number>> = {
  mseF32: () => Infinity,
  maeF32: () => 1,
  huberF32: (a) => a,
  smoothL1F32: () => 1,
};

const kernels = lazyWasm(() => instantiateWasm<WasmElementwise>(decodeBase64(ELEMENTWISE_WASM_BASE64)));

/** Turns the elementwise WebAssembly kernels on (default) or off, e.g. to compare both paths. */
export const useWasmElementwise = kernels.use;

/** The instantiated kernels, or null where WebAssembly SIMD is unavailable or turned off. */
export const wasmElementwise = kernels.get;

/** Bytes at the start of every instance's memory for the staged blocks (elementwiseWasm.ts): 2 pages. */
export const STAGING_BYTES = 131072;

/** The instances of kernelArrays, by their memory's buffer (which never grows, so never detaches). */
const arenas = new WeakMap<object, WasmElementwise>();

/** The instance whose memory holds `buffer` (an array of kernelArrays), else the shared one; null where off or missing. */
export function elementwiseKernelsFor(buffer: ArrayBufferLike): WasmElementwise | null {
  const shared = wasmElementwise();
  return shared === null ? null : (arenas.get(buffer) ?? shared);
}

/**
 * A new instance of the kernels whose memory holds `bytes` after the staging area, or null where
 * WebAssembly SIMD is missing: its memory is grown once, here, and never again.
 */
export function elementwiseArena(bytes: number): { memory: WasmMemory; at: number } | null {
  const k = instantiateWasm<WasmElementwise>(decodeBase64(ELEMENTWISE_WASM_BASE64));
  if (!k) return null;
  reserveWasmMemory(k, STAGING_BYTES + bytes);
  arenas.set(k.memory.buffer, k);
  return { memory: k.memory, at: STAGING_BYTES };
}

/**
 * For a module that imports its memory (wasmSoftplus.ts, wasmTriplet.ts): its kernels on the
 * memory of the elementwise kernels that hold `buffer` (a kernelArrays arena, else the shared
 * instance), instantiated by `instantiate` once per memory; null where the elementwise kernels
 * are off or missing, or `instantiate` gave null for that memory.
 */
export function onElementwiseMemory<E extends object>(instantiate: (memory: WasmMemory) => E | null): (buffer: ArrayBufferLike) => (E & { readonly memory: WasmMemory }) | null {
  const instances = new WeakMap<object, E | null>();
  return (buffer) => {
    const host = elementwiseKernelsFor(buffer);
    if (!host) return null;
    const memory = host.memory;
    let k = instances.get(memory);
    if (k === undefined) {
      k = instantiate(memory);
      instances.set(memory, k);
    }
    return k ? { ...k, memory } : null;
  };
}
