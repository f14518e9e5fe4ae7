import { describe, fail } from '../errors';

export { firstNonFinite, firstNonFinitePair } from '../tensor/finite';
export { overlaps } from '../tensor/memory';

/**
 * Boundary checks shared by the training pieces (Random, Linear, the optimizers, batching).
 * Candidates for ../options.ts: `checkInteger` is `checkNumber` with readable bounds (`2^32`).
 */

/**
 * Throws `fn: name must be an integer >= min[ and <= max], got value` unless `value` is an
 * integer in [min, max]; `expected` replaces the generated text (e.g. `an integer >= 0 and < 2^32`).
 */
export function checkInteger(fn: string, name: string, value: unknown, min: number, max = Infinity, expected?: string): number {
  const ok = typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
  if (!ok) fail(fn, name, expected ?? `an integer >= ${min}${max === Infinity ? '' : ` and <= ${max}`}`, describe(value));
  return value + 0; // -0 -> 0
}

/**
 * The element kind of a typed array (`'Float32Array'`, also for subclasses such as Node's
 * Buffer, which is a `'Uint8Array'`), or null for anything else (a DataView, an array).
 */
export function typedArrayKind(value: unknown): string | null {
  if (!ArrayBuffer.isView(value) || value instanceof DataView) return null;
  return Object.prototype.toString.call(value).slice(8, -1);
}
