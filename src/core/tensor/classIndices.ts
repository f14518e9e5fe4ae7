import { describe, fail } from '../errors';
import type { ClassIndices } from './types';

/**
 * Reads integer class targets, one per row, each in `[0, classes)` or equal to
 * `ignoreIndex` (when given, an int32: see `INT32` in options). A bare number is one sample's
 * class. Anything else throws, so nothing wraps when stored in the Int32Array returned.
 */
export function toClassIndices(fn: string, arg: string, target: ClassIndices, rows: number, classes: number, ignoreIndex?: number): Int32Array {
  const list: ArrayLike<number> = typeof target === 'number' ? [target] : target;
  if (typeof target !== 'number' && !Array.isArray(target) && !ArrayBuffer.isView(target)) {
    fail(fn, arg, 'class indices (a number or an array of integers)', describe(target));
  }
  if (list.length !== rows) fail(fn, arg, `${rows} class ${rows === 1 ? 'index' : 'indices'}, one per sample`, `${list.length}`);
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const k = list[i]!;
    const where = typeof target === 'number' ? arg : `${arg}[${i}]`;
    if (!Number.isInteger(k)) fail(fn, where, 'an integer class index', describe(k));
    if (k !== ignoreIndex && (k < 0 || k >= classes)) {
      const also = ignoreIndex === undefined ? '' : ` or ignoreIndex ${ignoreIndex}`;
      fail(fn, where, `a class index in [0, ${classes})${also}`, String(k));
    }
    out[i] = k;
  }
  return out;
}
