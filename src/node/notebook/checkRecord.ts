/**
 * The check record: what a notebook's `check()` compares, with what, and the line readers see.
 *
 * Pure and dependency-free, so the notebook runner, the site's page renderer and the browser's
 * live notebook helpers share one definition of a check.
 */

/** The MIME type of the JSON record a check displays beside its `text/plain` line. */
export const CHECK_MIME = 'application/vnd.losslab.check+json';

/**
 * What a checked number is compared with.
 *
 * - `source`: a number a source document printed (`source` is the document, e.g. `'000'`).
 * - `reference`: an independent computation on the same input (`source` names it: `'PyTorch'`
 *   for committed fixtures made with PyTorch, `'closed form'`, `'enumeration'`, `'mpmath'` ...).
 * - `identity`: a mathematical identity between two losslab computations (`source` names the
 *   identity's origin, e.g. `'identity'` or the document that states it).
 */
export type CheckKind = 'source' | 'reference' | 'identity';

export const CHECK_KINDS: readonly CheckKind[] = ['source', 'reference', 'identity'];

export interface CheckSpec {
  /** What the number is, e.g. `'softmax CEE, mean'`. */
  example: string;
  /** What `expected` is: see {@link CheckKind}. */
  kind: CheckKind;
  /** For `source`, the document (`'000'` for `seeds/000_*.txt`); otherwise the reference's name. */
  source: string;
  /** The independent value: the source's number, the reference's, or the identity's other side. */
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

const SOURCE_ID = /^\d{3}$/;

/**
 * Validates a spec and computes its verdict: pass when `actual` is finite and within `tolerance`
 * of `expected`. Throws a TypeError naming the field for a malformed spec.
 */
export function checkRecord(spec: CheckSpec): CheckRecord {
  const { example, kind, source, expected, actual, tolerance } = (spec ?? {}) as Partial<CheckSpec>;
  if (typeof example !== 'string' || !example) throw new TypeError(`check: example must be a non-empty string, got ${describe(example)}`);
  if (!CHECK_KINDS.includes(kind as CheckKind)) throw new TypeError(`check: kind must be one of ${CHECK_KINDS.map((k) => `'${k}'`).join(', ')}, got ${describe(kind)}`);
  if (typeof source !== 'string' || !source.trim()) throw new TypeError(`check: source must be a non-empty string, got ${describe(source)}`);
  if (kind === 'source' && !SOURCE_ID.test(source))
    throw new TypeError(`check: a 'source' check needs the document's three-digit id as source (e.g. '003'), got ${describe(source)}`);
  if (typeof expected !== 'number' || !Number.isFinite(expected)) throw new TypeError(`check: expected must be a finite number, got ${describe(expected)}`);
  if (typeof actual !== 'number') throw new TypeError(`check: actual must be a number, got ${describe(actual)}`);
  if (typeof tolerance !== 'number' || !(tolerance >= 0 && Number.isFinite(tolerance)))
    throw new TypeError(`check: tolerance must be a finite number >= 0, got ${describe(tolerance)}`);
  const delta = Math.abs(actual - expected);
  const pass = Number.isFinite(actual) && delta <= tolerance;
  return { example, kind: kind as CheckKind, source, expected, actual, tolerance, delta, pass };
}

/** Thrown by a failing check, so the cell (and `npm run notebooks`) fails. */
export class CheckFailedError extends Error {
  override name = 'CheckFailedError';
}

/**
 * The whole of `check()` but the output channel, shared by the Node helper and the live pages':
 * validates, shows the line and its record through `show`, returns `actual`, and throws
 * `CheckFailedError` when the check fails.
 */
export function runCheck(spec: CheckSpec, show: (bundle: Record<string, string | object>) => void): number {
  const record = checkRecord(spec);
  const line = formatCheck(record);
  show({ 'text/plain': line, [CHECK_MIME]: record });
  if (!record.pass) throw new CheckFailedError(`check failed: ${line.slice(2)}`);
  return record.actual;
}

/** What the comparison is against, as readers see it: `seed 000`, `PyTorch`, `identity`. */
export function checkAgainst(r: Pick<CheckRecord, 'kind' | 'source'>): string {
  return r.kind === 'source' ? `seed ${r.source}` : r.source;
}

/**
 * The one-line form shown in notebooks, e.g.
 * `✓ mse — source, seed 000: 5.5, losslab 5.5, |Δ| 0 ≤ 1e-12` or
 * `✓ crossEntropy — reference, PyTorch: 0.4170300162778335, losslab 0.4170300163, |Δ| 5.6e-17 ≤ 1e-12`.
 */
export function formatCheck(r: CheckRecord): string {
  const verdict = r.pass ? `≤ ${r.tolerance}` : `> ${r.tolerance}`;
  return `${r.pass ? '✓' : '✗'} ${r.example} — ${r.kind}, ${checkAgainst(r)}: ${r.expected}, losslab ${formatValue(r.actual)}, |Δ| ${formatDelta(r.delta)} ${verdict}`;
}

/** Ten significant digits, without trailing zeros. */
export function formatValue(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(10))) : String(x);
}

/** Two significant digits in exponent form (`1.1e-8`), or `0`. */
export function formatDelta(d: number): string {
  return d === 0 ? '0' : Number.isFinite(d) ? d.toExponential(1) : String(d);
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  return typeof v;
}
