import { describe, fail } from '../errors';
import type { FloatArray } from '../tensor/types';

/**
 * Throws `fn: arg[i] must be -1 or 1, got v` at the first label that is neither: the ranking
 * and embedding losses take ±1 targets only (PyTorch silently gives such items a loss of 0, or
 * a meaningless one; here they are an error).
 */
export function assertSigns(fn: string, arg: string, labels: FloatArray): void {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    if (v !== 1 && v !== -1) fail(fn, `${arg}[${i}]`, '-1 or 1', describe(v));
  }
}
