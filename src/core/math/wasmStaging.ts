import type { FloatArray } from '../tensor/types';

/** Where a kernel reads and writes one argument, and the copies that take it there and back. */
export interface StagedArray {
  /** Copies elements [from, to) in (unless in place) and returns the byte offset where the kernel reads them. */
  copyIn(from: number, to: number): number;
  /** The byte offset where the kernel writes elements from `from` on. */
  at(from: number): number;
  /** Copies the kernel's elements [from, to) back into the argument (unless in place). */
  copyOut(from: number, to: number): void;
}

/**
 * An argument `v` of a WebAssembly kernel whose memory is `buffer`: read and written in place
 * when it lives there (the views of kernelArrays), else through a staging block of `capacity`
 * elements of `width` bytes (4: float32, 8: float64, as v) at byte offset `at`, one block of v at
 * a time.
 */
export function stagedArray(v: FloatArray, buffer: ArrayBuffer, at: number, width: 4 | 8, capacity: number): StagedArray {
  const view = v.buffer === buffer ? null : width === 4 ? new Float32Array(buffer, at, capacity) : new Float64Array(buffer, at, capacity);
  if (!view) {
    return {
      copyIn: (from) => v.byteOffset + width * from,
      at: (from) => v.byteOffset + width * from,
      copyOut: () => {},
    };
  }
  return {
    copyIn(from, to) {
      view.set(v.subarray(from, to));
      return at;
    },
    at: () => at,
    copyOut(from, to) {
      v.set(to - from === capacity ? view : view.subarray(0, to - from), from);
    },
  };
}
