/** The reproduction table printed at the end of `npm run notebooks`. */
import { checkAgainst, formatDelta, formatValue } from '../notebook/checkRecord';
import type { CollectedCheck } from './collect';

export function formatTable(checks: CollectedCheck[]): string {
  if (checks.length === 0) return 'No checks recorded.';
  const head = ['', 'notebook', 'cell', 'example', 'kind', 'against', 'expected', 'losslab', '|Δ|', 'tolerance'];
  const rows = checks.map((c) => [
    c.pass ? '✓' : '✗',
    c.notebook.replace(/^.*\//, ''),
    String(c.cell),
    c.example,
    c.kind,
    checkAgainst(c),
    String(c.expected),
    formatValue(c.actual),
    formatDelta(c.delta),
    String(c.tolerance),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((s, i) => (i >= 6 ? s.padStart(widths[i] ?? 0) : s.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const failed = checks.filter((c) => !c.pass).length;
  const summary = `${checks.length - failed}/${checks.length} checks pass` + (failed ? `, ${failed} FAIL` : '');
  return [line(head), ...rows.map(line), summary].join('\n');
}
