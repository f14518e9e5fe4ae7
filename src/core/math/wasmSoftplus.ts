import { onElementwiseMemory, type ElementwiseBlock } from './wasmElementwise';
import { BCE_WASM_BASE64 } from './wasmBceBinary';
import { decodeBase64, instantiateWasm } from './wasmModule';
import { LOG_COSH_WASM_BASE64 } from './wasmLogCoshBinary';
import { SIGMOID_FOCAL_WASM_BASE64 } from './wasmSigmoidFocalBinary';
import { SOFTPLUS_WASM_BASE64 } from './wasmSoftplusBinary';
import { writeExpLogTables } from './wasmTables';

/**
 * The WebAssembly SIMD (f64x2) blocks of the elementwise losses built on log1p(e^-|x|)
 * (binaryCrossEntropyWithLogits, logCosh, sigmoidFocalLoss) and of binaryCrossEntropy on float32 arguments, written in
 * tools/generate/wasm/softplusKernelsSource.ts and embedded as base64 by `npm run generate` (a
 * module each, under 4 KB). The modules import their memory: each instance runs on the memory of an instance of the
 * elementwise kernels (wasmElementwise.ts: the shared one, or a kernelArrays arena), whose staging
 * blocks it shares, so the arrays of kernelArrays are read in place here too. It is on and off
 * with them (`useWasmElementwise`). Each block gives the bits of its TypeScript block, or NaN
 * where that must run instead (an element it does not take).
 */
export interface WasmSoftplus {
  readonly bceLogitsF32: ElementwiseBlock;
  /** binaryCrossEntropy with hard targets (refusing any other). */
  readonly bceF32: ElementwiseBlock;
  readonly logCoshF32: ElementwiseBlock;
  /** sigmoidFocalLoss for γ in {0, 1, 2} (a = α, b = γ), no weight. */
  readonly sigmoidFocalF32: ElementwiseBlock;
}

/** A module's exports: its kernel and `init`, which writes its constant vectors into memory (once per memory). */
type Module<K extends string> = Record<K, ElementwiseBlock> & { readonly init: () => void };

/** Where the exp and log tables and the constants sit in the shared memory (tools/generate/wasm/softplusKernelsSource.ts). */
export const SOFTPLUS_EXP_TABLE_AT = 98304;
export const SOFTPLUS_LOG_TABLE_AT = 100352;
export const SOFTPLUS_CONST_AT = 102400;
export const LOG_COSH_CONST_AT = 104448;
export const BCE_CONST_AT = 106496;
export const SIGMOID_FOCAL_CONST_AT = 108544;
/** Where the kernels' stages hand on their vectors: from here to the end of the 2 pages. */
export const STAGE_SCRATCH_AT = 110592;

/** Each kernel's module, embedded as base64: one kernel (its export of that name) and `init` each. */
const MODULES: Readonly<Record<keyof WasmSoftplus, string>> = {
  bceLogitsF32: SOFTPLUS_WASM_BASE64,
  bceF32: BCE_WASM_BASE64,
  logCoshF32: LOG_COSH_WASM_BASE64,
  sigmoidFocalF32: SIGMOID_FOCAL_WASM_BASE64,
};
const NAMES = Object.keys(MODULES) as Array<keyof WasmSoftplus>;

/** The decoded modules, once (null where `atob` is missing). */
let moduleBytes: Array<Uint8Array | null> | undefined;

/** The kernels on the memory of the elementwise kernels that hold `buffer` (or the shared ones); null where off or missing. */
export const softplusKernelsFor = onElementwiseMemory<WasmSoftplus>((memory) => {
  if (moduleBytes === undefined) moduleBytes = NAMES.map((name) => decodeBase64(MODULES[name]));
  const imports = { env: { memory } };
  const modules = moduleBytes.map((bytes) => instantiateWasm<Module<keyof WasmSoftplus>>(bytes, imports));
  if (modules.some((m) => m === null)) return null;
  writeExpLogTables(memory.buffer, SOFTPLUS_EXP_TABLE_AT, SOFTPLUS_LOG_TABLE_AT);
  for (const m of modules) m!.init();
  const kernels = {} as Record<keyof WasmSoftplus, ElementwiseBlock>;
  NAMES.forEach((name, i) => (kernels[name] = modules[i]![name]));
  return kernels;
});
