import type { ElementwiseBlock } from '../math/wasmElementwise';
import { ELEMENTWISE_SLOPE_BOUNDS, elementwiseKernelsFor, type ElementwiseKernelName } from '../math/wasmElementwise';
import type { WasmMemory } from '../math/wasmModule';
import { stagedArray } from '../math/wasmStaging';
import type { FloatArray } from '../tensor/types';
import type { Elements, FastBlock } from './elementwise';

/** Elements per block, as sumLoop's (elementwise.ts), so each block's sum is the loop's. */
const BLOCK = 8192;
/** Where the staged blocks sit in the module's memory: x, y, then the gradient (float32 each). */
const X_AT = 0;
const Y_AT = 4 * BLOCK;
const OUT_AT = 8 * BLOCK;

/**
 * The WebAssembly block of a loss (`name` in math/wasmElementwise.ts) for every block of a call
 * whose length is a multiple of 8 (all but maybe the last), on the calls it can take: float32 input and target, a float32 gradient or none, no weights,
 * no per-element parameter, no per-item values, at least 64 elements. null otherwise (and where
 * WebAssembly SIMD is missing): the loop runs, with the same bits.
 */
export function elementwiseWasmBlocks(name: ElementwiseKernelName, e: Elements, out: FloatArray | null, items: Float64Array | null, s: number): FastBlock | null {
  return wasmBlocks(elementwiseKernelsFor, name, e, out, items, s, ELEMENTWISE_SLOPE_BOUNDS[name](e.a, e.b));
}

/**
 * elementwiseWasmBlocks for the kernel `name` of another set of kernels on the same memory
 * (`kernelsFor`, e.g. math/wasmSoftplus.ts); `slopeBound` as stagedBlocks'.
 */
export function wasmBlocks<N extends string>(
  kernelsFor: (buffer: ArrayBufferLike) => ({ readonly memory: WasmMemory } & Record<N, ElementwiseBlock>) | null,
  name: N,
  e: Elements,
  out: FloatArray | null,
  items: Float64Array | null,
  s: number,
  slopeBound = Infinity,
): FastBlock | null {
  const { x, y } = e;
  if (!(x instanceof Float32Array && y instanceof Float32Array) || e.w !== null || e.ws !== 1 || e.q !== null || items !== null) return null;
  // narrowed by a conditional, not by `out !== null && ...`, which needs strictNullChecks (tslab compiles without)
  const out32 = out === null ? null : out instanceof Float32Array ? out : undefined;
  if (out32 === undefined) return null;
  const k = e.size >= 64 ? kernelsFor(x.buffer) : null;
  return k ? stagedBlocks(k.memory, k[name], x, y, out32, s, e.a, e.b, slopeBound) : null;
}

/** The largest finite float32. */
const F32_MAX = 3.4028234663852886e38;

/**
 * Whether a block with scale c must test its stored gradients f32(c ∂ℓ/∂x): unless |c| times
 * `slopeBound` (the largest |∂ℓ/∂x| over finite arguments) is at most the float32 maximum, where
 * none can round to ±Infinity or be NaN. A non-finite argument needs no test of its gradient:
 * the bounded losses' term is then ±Infinity or NaN, so the total is not finite and the call is
 * diagnosed (elementwise.ts) as the loop's would be.
 */
export function gradientsNeedCheck(c: number, slopeBound: number): boolean {
  return !(Math.abs(c) * slopeBound <= F32_MAX);
}

/**
 * A kernel's blocks (FastBlock) over float32 x, y and gradient out (or none), with scale c and
 * parameters a, b: each block's arguments are copied into the kernel's memory and its gradient
 * back, unless they already live there (the views of kernelArrays), which the kernel then reads
 * and writes in place. A block whose length is not a multiple of 8 returns undefined (the loop
 * takes it); the kernel's result is returned as it is (NaN included). `slopeBound`: the loss's
 * largest |∂ℓ/∂x| over finite arguments (default Infinity), which lets the kernel skip testing
 * the gradients it stores where gradientsNeedCheck says none can overflow.
 */
export function stagedBlocks(
  memory: WasmMemory,
  block: ElementwiseBlock,
  x: Float32Array,
  y: Float32Array,
  out: Float32Array | null,
  c: number,
  a: number,
  b: number,
  slopeBound = Infinity,
): FastBlock {
  const buffer = memory.buffer;
  const check = out !== null && gradientsNeedCheck(c, slopeBound) ? 1 : 0;
  const xs = stagedArray(x, buffer, X_AT, 4, BLOCK);
  const ys = stagedArray(y, buffer, Y_AT, 4, BLOCK);
  const os = out === null ? null : stagedArray(out, buffer, OUT_AT, 4, BLOCK);
  return (from, to) => {
    const m = to - from;
    if (m & 7) return undefined;
    const part = block(xs.copyIn(from, to), ys.copyIn(from, to), os ? os.at(from) : OUT_AT, m >> 3, c, a, b, check);
    if (os) os.copyOut(from, to);
    return part;
  };
}
