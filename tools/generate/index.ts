/**
 * Every generated file of the repository and the function that writes its text. `npm run
 * generate` (main.ts) writes them all; test/generate/drift.test.ts fails when a committed one
 * differs from its generator's output.
 */
import { tablesModule } from './tables/generateElementaryTables';
import { elementwiseModule } from './wasm/elementwiseKernelsSource';
import { embeddedModuleSource } from './wasm/embeddedModule';
import { gemmModule } from './wasm/gemmKernelsSource';
import { kernelsModule } from './wasm/lossKernelsSource';
import { bceModule, logCoshModule, sigmoidFocalModule, softplusModule } from './wasm/softplusKernelsSource';
import { tripletModule } from './wasm/tripletKernelsSource';
import { ctcModule } from './wasm/ctcKernelsSource';

export interface GeneratedFile {
  /** The generated file, relative to the project root. */
  readonly path: string;
  /** Its full text. */
  text(): string;
}

export const generatedFiles: readonly GeneratedFile[] = [
  { path: 'src/core/math/elementaryTables.ts', text: tablesModule },
  {
    path: 'src/core/math/wasmBinary.ts',
    text: () =>
      embeddedModuleSource({
        bytes: kernelsModule(),
        constant: 'KERNELS_WASM_BASE64',
        what: 'The WebAssembly SIMD kernels',
        source: 'tools/generate/wasm/lossKernelsSource.ts',
      }),
  },
  {
    path: 'src/core/math/wasmElementwiseBinary.ts',
    text: () =>
      embeddedModuleSource({
        bytes: elementwiseModule(),
        constant: 'ELEMENTWISE_WASM_BASE64',
        what: 'The WebAssembly SIMD elementwise loss kernels',
        source: 'tools/generate/wasm/elementwiseKernelsSource.ts',
      }),
  },
  {
    path: 'src/core/math/wasmSoftplusBinary.ts',
    text: () =>
      embeddedModuleSource({
        bytes: softplusModule(),
        constant: 'SOFTPLUS_WASM_BASE64',
        what: 'The WebAssembly SIMD kernels of the softplus losses (BCE with logits)',
        source: 'tools/generate/wasm/softplusKernelsSource.ts',
      }),
  },
  {
    path: 'src/core/math/wasmBceBinary.ts',
    text: () =>
      embeddedModuleSource({
        bytes: bceModule(),
        constant: 'BCE_WASM_BASE64',
        what: 'The WebAssembly SIMD kernel of binaryCrossEntropy with hard targets',
        source: 'tools/generate/wasm/softplusKernelsSource.ts',
      }),
  },
  {
    path: 'src/core/math/wasmSigmoidFocalBinary.ts',
    text: () =>
      embeddedModuleSource({
        bytes: sigmoidFocalModule(),
        constant: 'SIGMOID_FOCAL_WASM_BASE64',
        what: 'The WebAssembly SIMD kernel of sigmoidFocalLoss (γ in {0, 1, 2})',
        source: 'tools/generate/wasm/softplusKernelsSource.ts',
      }),
  },
  {
    path: 'src/core/math/wasmLogCoshBinary.ts',
    text: () =>
      embeddedModuleSource({
        bytes: logCoshModule(),
        constant: 'LOG_COSH_WASM_BASE64',
        what: 'The WebAssembly SIMD kernel of logCosh',
        source: 'tools/generate/wasm/softplusKernelsSource.ts',
      }),
  },
  {
    path: 'src/core/math/wasmTripletBinary.ts',
    text: () =>
      embeddedModuleSource({
        bytes: tripletModule(),
        constant: 'TRIPLET_WASM_BASE64',
        what: 'The WebAssembly SIMD rows of tripletMarginLoss',
        source: 'tools/generate/wasm/tripletKernelsSource.ts',
      }),
  },
  {
    path: 'src/core/math/wasmCtcBinary.ts',
    text: () =>
      embeddedModuleSource({
        bytes: ctcModule(),
        constant: 'CTC_WASM_BASE64',
        what: 'The WebAssembly SIMD frame of ctcLoss',
        source: 'tools/generate/wasm/ctcKernelsSource.ts',
      }),
  },
  {
    path: 'src/core/math/wasmGemmBinary.ts',
    text: () =>
      embeddedModuleSource({
        bytes: gemmModule(),
        constant: 'GEMM_WASM_BASE64',
        what: 'The WebAssembly SIMD GEMM kernels of Linear',
        source: 'tools/generate/wasm/gemmKernelsSource.ts',
      }),
  },
];
