import { LossInputError } from './errors';
import type { Reduction } from './tensor/types';

/**
 * Combines per-item losses. `total` is their (weighted) sum and `count` the
 * divisor of the mean (the item count, or the sum of the weights taken).
 * A mean over nothing (count 0: every target ignored or every weight 0) has no
 * value and throws rather than returning NaN.
 */
export function reduce(fn: string, reduction: Reduction, total: number, count: number, items: Float64Array | null): number | Float64Array {
  if (reduction === 'none') return items!;
  if (reduction === 'sum') return total;
  return total / meanDivisor(fn, count);
}

/** The factor d(reduced)/d(item): 1/count for `'mean'`, 1 for `'sum'` and `'none'`. */
export function gradScale(fn: string, reduction: Reduction, count: number): number {
  return reduction === 'mean' ? 1 / meanDivisor(fn, count) : 1;
}

function meanDivisor(fn: string, count: number): number {
  if (!(count > 0)) {
    throw new LossInputError(fn, `reduction 'mean' needs a positive total weight, got ${count} (every target ignored or weighted 0); use reduction 'sum'`);
  }
  return count;
}
