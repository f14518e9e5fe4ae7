/**
 * `check()`: record one checked number of a notebook, show it, fail loudly.
 *
 * Each call emits a display_data output holding a `text/plain` line for readers and a
 * `application/vnd.losslab.check+json` record for `npm run notebooks`, which collects the
 * records from the executed notebooks (ours or Jupyter's) into `reproduction.json`.
 */
import { runCheck, type CheckSpec } from './checkRecord';
import { display } from './display';

export { CHECK_MIME, CHECK_KINDS, CheckFailedError, formatCheck, type CheckKind, type CheckRecord, type CheckSpec } from './checkRecord';

/**
 * Compares `actual` with `expected` within `tolerance`, displays
 * `✓ example — kind, against: expected, losslab actual, |Δ| delta ≤ tolerance` and returns
 * `actual`; throws `CheckFailedError` (so the cell fails) when |Δ| > tolerance or `actual` is
 * not finite, and a TypeError for a malformed spec (a missing `kind`, a `source` check without a
 * document id ...).
 *
 * @example
 * check({ example: 'fair die entropy', kind: 'source', source: '003', expected: 1.7918, actual: Math.log(6), tolerance: 5e-5 });
 * // displays ✓ fair die entropy — source, seed 003: 1.7918, losslab 1.791759469, |Δ| 4.1e-5 ≤ 0.00005
 */
export function check(spec: CheckSpec): number {
  return runCheck(spec, display);
}
