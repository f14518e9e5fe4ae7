import { RunningTotal } from '../math/twoSum';
import { gradScale, reduce } from '../reduce';
import type { Reduction } from '../tensor/types';

/**
 * The per-row driver of a class-wise loss: `rowLoss(r, scale)` returns row r's loss (and, when
 * the loss has an `out`, writes scale * d loss / d row r, where scale is d(reduced) / d(row loss));
 * the row losses are summed with their rounding errors (compensated) and reduced, or returned
 * per row for `'none'`.
 */
export function reduceRows(fn: string, reduction: Reduction, rows: number, rowLoss: (r: number, scale: number) => number): number | Float64Array {
  const scale = gradScale(fn, reduction, rows);
  const items = reduction === 'none' ? new Float64Array(rows) : null;
  const total = new RunningTotal();
  for (let r = 0; r < rows; r++) {
    const loss = rowLoss(r, scale);
    total.add(loss);
    if (items) items[r] = loss;
  }
  return reduce(fn, reduction, total.value(), rows, items);
}
