/**
 * Generates src/core/math/wasmGemmBinary.ts, the WebAssembly SIMD GEMM kernels of
 * wasmGemmKernels.ts as base64:
 *
 *     npx tsx test/math/generateWasmGemm.ts > src/core/math/wasmGemmBinary.ts
 *
 * test/training/linearWasm.test.ts checks that the committed module equals this output.
 */
import { gemmModule } from './wasmGemmKernels';
import { embeddedModuleSource, isMain } from './wasmSource';

/** The text of src/core/math/wasmGemmBinary.ts. */
export function wasmGemmModule(): string {
  return embeddedModuleSource({
    bytes: gemmModule(),
    constant: 'GEMM_WASM_BASE64',
    what: 'The WebAssembly SIMD GEMM kernels of Linear',
    generator: 'test/math/generateWasmGemm.ts',
    source: 'test/math/wasmGemmKernels.ts',
    target: 'src/core/math/wasmGemmBinary.ts',
  });
}

if (isMain(/generateWasmGemm\.ts$/)) process.stdout.write(wasmGemmModule());
