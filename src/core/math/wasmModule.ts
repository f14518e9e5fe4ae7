/**
 * Loading the package's embedded WebAssembly modules (the loss kernels, Linear's GEMM): decode
 * the base64, validate, instantiate without imports, and grow their memory. Every step returns
 * null rather than throwing where WebAssembly or its SIMD is missing, so callers fall back to
 * their TypeScript kernels.
 */

/**
 * The part of WebAssembly used here, typed locally: tslab compiles this package without the DOM
 * library, where the WebAssembly namespace has no such members.
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
}
const host = globalThis as { WebAssembly?: WasmApi; atob?: (text: string) => string };

/** The bytes of a base64 string, or null where `atob` is missing. */
export function decodeBase64(text: string): Uint8Array | null {
  if (!host.atob) return null;
  const binary = host.atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * The exports of a module compiled synchronously (modules under 4 KB: browsers refuse larger
 * ones on the main thread), instantiated with `imports` (e.g. `{ env: { memory } }`); null where
 * it does not validate or fails to compile.
 */
export function instantiateWasm<E>(bytes: Uint8Array | null, imports: object = {}): E | null {
  try {
    const wasm = host.WebAssembly;
    if (!bytes || !wasm || !wasm.validate(bytes)) return null;
    return new wasm.Instance(new wasm.Module(bytes), imports).exports as E;
  } catch {
    return null;
  }
}

/** Grows a module's memory to at least `bytes` (growing detaches views made before). */
export function reserveWasmMemory(k: { readonly memory: WasmMemory }, bytes: number): void {
  const have = k.memory.buffer.byteLength;
  if (bytes > have) k.memory.grow(Math.ceil((bytes - have) / 65536));
}

/** A module loaded on first use, which callers can also turn off (e.g. to compare both paths). */
export interface LazyWasm<E> {
  /** The module's exports, or null where it does not load or is turned off. */
  get: () => E | null;
  /** Turns the module on (default) or off. */
  use: (on: boolean) => void;
}

/** Wraps `load`, run at most once, on the first `get()` while the module is on. */
export function lazyWasm<E>(load: () => E | null): LazyWasm<E> {
  let loaded: E | null | undefined;
  let enabled = true;
  return {
    get: () => (enabled ? (loaded === undefined ? (loaded = load()) : loaded) : null),
    use: (on) => {
      enabled = on;
    },
  };
}
