/**
 * `check()`: record one reproduced number of a source document, show it, fail loudly.
 *
 * Each call emits a display_data output holding a `text/plain` line for readers and a
 * `application/vnd.losslab.check+json` record for `npm run notebooks`, which collects the
 * records from the executed notebooks (ours or Jupyter's) into `reproduction.json`.
 */
import { display } from './display';

export const CHECK_MIME = 'application/vnd.losslab.check+json';

export interface CheckSpec {
  /** What the number is, e.g. `'softmax CEE, mean'`. */
  example: string;
  /** The source document, e.g. `'000'` for `seeds/000_*.txt`. */
  source: string;
  /** The value printed in the source. */
  expected: number;
  /** The value losslab computed. */
  actual: number;
  /** Largest accepted |actual - expected|, usually half a unit of the source's last digit. */
  tolerance: number;
}

/** The stored record: the spec plus |Δ| and the verdict. */
export interface CheckRecord extends CheckSpec {
  delta: number;
  pass: boolean;
}

export class CheckFailedError extends Error {
  override name = 'CheckFailedError';
}

/**
 * Compares `actual` with the source's `expected` within `tolerance`, displays
 * `✓ example — seed source: source expected, losslab actual, |Δ| delta ≤ tolerance`
 * and returns `actual`; throws `CheckFailedError` (so the cell fails) when |Δ| > tolerance
 * or `actual` is not finite.
 */
export function check(spec: CheckSpec): number {
  const { example, source, expected, actual, tolerance } = spec;
  if (typeof example !== 'string' || typeof source !== 'string') {
    throw new TypeError('check: example and source must be strings');
  }
  if (!Number.isFinite(expected) || !(tolerance >= 0 && Number.isFinite(tolerance))) {
    throw new TypeError(`check: expected must be finite and tolerance >= 0, got ${expected} and ${tolerance}`);
  }
  const delta = Math.abs(actual - expected);
  const pass = Number.isFinite(actual) && delta <= tolerance;
  const record: CheckRecord = { example, source, expected, actual, tolerance, delta, pass };
  const line = formatCheck(record);
  display({ 'text/plain': line, [CHECK_MIME]: record });
  if (!pass) throw new CheckFailedError(`check failed: ${line.slice(2)}`);
  return actual;
}

/** The one-line form shown in notebooks, e.g. `✓ mse — seed 000: source 5.5, losslab 5.5, |Δ| 0 ≤ 1e-12`. */
export function formatCheck(r: CheckRecord): string {
  const verdict = r.pass ? `≤ ${r.tolerance}` : `> ${r.tolerance}`;
  return `${r.pass ? '✓' : '✗'} ${r.example} — seed ${r.source}: source ${r.expected}, ` + `losslab ${formatValue(r.actual)}, |Δ| ${formatDelta(r.delta)} ${verdict}`;
}

/** Ten significant digits, without trailing zeros. */
export function formatValue(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(10))) : String(x);
}

/** Two significant digits in exponent form (`1.1e-8`), or `0`. */
export function formatDelta(d: number): string {
  return d === 0 ? '0' : Number.isFinite(d) ? d.toExponential(1) : String(d);
}
