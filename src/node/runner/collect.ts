/**
 * Collects check records (`application/vnd.losslab.check+json` display data written by
 * `check()`) from an executed notebook, whichever client executed it (our runner, nbconvert).
 */
import { CHECK_MIME, type CheckRecord } from '../notebook/checkRecord';
import type { Notebook } from './normalize';

export interface CollectedCheck extends CheckRecord {
  /** Notebook path, relative to the project root when inside it. */
  notebook: string;
  /** 1-based code cell number (its execution count after a clean run). */
  cell: number;
}

export function collectChecks(nb: Notebook, notebook: string): CollectedCheck[] {
  const checks: CollectedCheck[] = [];
  let cell = 0;
  for (const c of nb.cells) {
    if (c.cell_type !== 'code') continue;
    cell++;
    for (const o of (c.outputs ?? []) as Array<{ data?: Record<string, unknown> }>) {
      const raw = o.data?.[CHECK_MIME];
      if (raw === undefined) continue;
      const r = (typeof raw === 'string' ? JSON.parse(raw) : Array.isArray(raw) ? JSON.parse(raw.join('')) : raw) as CheckRecord;
      checks.push({
        notebook,
        cell,
        example: r.example,
        kind: r.kind,
        source: r.source,
        expected: r.expected,
        actual: r.actual ?? NaN,
        delta: r.delta ?? NaN,
        tolerance: r.tolerance,
        pass: r.pass === true,
      });
    }
  }
  return checks;
}
