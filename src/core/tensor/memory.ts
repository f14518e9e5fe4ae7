/** Whether two typed arrays share any byte of memory. */
export function overlaps(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/** The typed-array memory of an argument (a typed array, or a tensor's data), if any. */
export function memoryOf(x: unknown): ArrayBufferView | null {
  if (ArrayBuffer.isView(x)) return x;
  if (typeof x === 'object' && x !== null && !Array.isArray(x) && ArrayBuffer.isView((x as { data?: unknown }).data)) return (x as { data: ArrayBufferView }).data;
  return null;
}
