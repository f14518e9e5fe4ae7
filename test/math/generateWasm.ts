/**
 * Generates src/core/math/wasmBinary.ts, the WebAssembly SIMD kernels of wasmKernels.ts as base64:
 *
 *     npx tsx test/math/generateWasm.ts > src/core/math/wasmBinary.ts
 *
 * test/math/wasm.test.ts checks that the committed module equals this output.
 */
import { kernelsModule } from './wasmKernels';
import { embeddedModuleSource, isMain } from './wasmSource';

/** The text of src/core/math/wasmBinary.ts. */
export function wasmModule(): string {
  return embeddedModuleSource({
    bytes: kernelsModule(),
    constant: 'KERNELS_WASM_BASE64',
    what: 'The WebAssembly SIMD kernels',
    generator: 'test/math/generateWasm.ts',
    source: 'test/math/wasmKernels.ts',
    target: 'src/core/math/wasmBinary.ts',
  });
}

if (isMain(/generateWasm\.ts$/)) process.stdout.write(wasmModule());
