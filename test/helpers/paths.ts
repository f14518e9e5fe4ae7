/**
 * Runs f with a WebAssembly path turned on by `use`, then off (and on again after): both results,
 * for comparing a kernel with its TypeScript fallback.
 */
export function bothPaths<T>(use: (on: boolean) => void, f: () => T): { wasm: T; ts: T } {
  use(true);
  const wasm = f();
  use(false);
  const ts = f();
  use(true);
  return { wasm, ts };
}
