import { EXP2_HI, EXP2_TAIL, LOGC_HI, LOGC_LO } from './elementaryTables';
import { elementwiseKernelsFor, type ElementwiseBlock } from './wasmElementwise';
import { decodeBase64, instantiateWasm, type WasmMemory } from './wasmModule';
import { SOFTPLUS_WASM_BASE64 } from './wasmSoftplusBinary';

/**
 * The WebAssembly SIMD (f64x2) blocks of the elementwise losses built on log1p(e^-|x|)
 * (binaryCrossEntropyWithLogits) on float32 arguments, written in
 * tools/generate/wasm/softplusKernelsSource.ts and embedded as base64 by `npm run generate` (under
 * 4 KB). The module imports its memory: each instance runs on the memory of an instance of the
 * elementwise kernels (wasmElementwise.ts: the shared one, or a kernelArrays arena), whose staging
 * blocks it shares, so the arrays of kernelArrays are read in place here too. It is on and off
 * with them (`useWasmElementwise`). Each block gives the bits of its TypeScript block, or NaN
 * where that must run instead (an element it does not take).
 */
export interface WasmSoftplus {
  readonly bceLogitsF32: ElementwiseBlock;
  /** Writes the kernels' constant vectors into memory (once per memory, at load). */
  readonly init: () => void;
}

/** Where the exp and log tables and the constants sit in the shared memory (tools/generate/wasm/softplusKernelsSource.ts). */
export const SOFTPLUS_EXP_TABLE_AT = 98304;
export const SOFTPLUS_LOG_TABLE_AT = 100352;
export const SOFTPLUS_CONST_AT = 102400;

let bytes: Uint8Array | null | undefined;
/** The instances, by the memory they run on. */
const instances = new WeakMap<object, WasmSoftplus | null>();

/** The kernels on the memory of the elementwise kernels that hold `buffer` (or the shared ones); null where off or missing. */
export function softplusKernelsFor(buffer: ArrayBufferLike): (WasmSoftplus & { readonly memory: WasmMemory }) | null {
  const host = elementwiseKernelsFor(buffer);
  if (!host) return null;
  const memory = host.memory;
  let k = instances.get(memory);
  if (k === undefined) {
    if (bytes === undefined) bytes = decodeBase64(SOFTPLUS_WASM_BASE64);
    k = instantiateWasm<WasmSoftplus>(bytes, { env: { memory } });
    if (k) {
      writeTables(memory);
      k.init();
    }
    instances.set(memory, k);
  }
  return k ? { ...k, memory } : null;
}

/** The 2^(j/128) (hi, tail) and log(c_i) (hi, lo) pairs, as vexp and vlog read them. */
function writeTables(memory: WasmMemory): void {
  const exp = new Float64Array(memory.buffer, SOFTPLUS_EXP_TABLE_AT, 256);
  const log = new Float64Array(memory.buffer, SOFTPLUS_LOG_TABLE_AT, 256);
  for (let j = 0; j < 128; j++) {
    exp[2 * j] = EXP2_HI[j]!;
    exp[2 * j + 1] = EXP2_TAIL[j]!;
    log[2 * j] = LOGC_HI[j]!;
    log[2 * j + 1] = LOGC_LO[j]!;
  }
}
