import type { Result } from './measure';
import type { Workload } from './workloads';

/** One line of the table and of the JSON. */
export interface Row {
  workload: string;
  label: string;
  kind: Workload['kind'];
  system: string;
  medianMs: number;
  samplesMs: number[];
  warmup: number;
  reps: number;
  /** Elements (MNIST: training samples) per run. */
  elements: number;
  elementsPerSecond: number;
  /** This system's median time / losslab's: above 1, losslab is faster. */
  ratioToLosslab: number | null;
  /** Time to copy the workload's input bytes with TypedArray.prototype.set, same process. */
  copyMs: number;
  /** copyMs / medianMs: the share of the memory-bandwidth limit reached (1 = as fast as a copy). */
  bandwidthFraction: number;
  value: number | null;
  /** The float64 reference of the value (null for MNIST). */
  reference: number | null;
  /** |value - reference| / |reference|. */
  relError: number | null;
  accuracy: number | null;
  estimated: string | null;
  /** The system has no such loss (a row of '—'), and why. */
  missing: string | null;
}

/** Joins the results with their workloads, the copy reference and losslab's times. */
export function buildRows(workloads: readonly Workload[], results: readonly Result[], copyMs: ReadonlyMap<string, number>): Row[] {
  const rows: Row[] = [];
  for (const w of workloads) {
    const base = results.find((r) => r.workload === w.id && r.system === 'losslab');
    const reference = 'reference' in w ? w.reference : null;
    for (const r of results.filter((x) => x.workload === w.id)) {
      const ms = r.timing.medianMs;
      const copy = copyMs.get(w.id) ?? NaN;
      rows.push({
        workload: w.id,
        label: w.label,
        kind: w.kind,
        system: r.system,
        medianMs: ms,
        samplesMs: r.timing.samplesMs,
        warmup: r.timing.warmup,
        reps: r.timing.reps,
        elements: w.elements,
        elementsPerSecond: w.elements / (ms / 1000),
        ratioToLosslab: base && !r.missing ? ms / base.timing.medianMs : null,
        copyMs: copy,
        bandwidthFraction: copy / ms,
        value: r.value,
        reference,
        relError: reference === null || r.value === null ? null : Math.abs(r.value - reference) / Math.abs(reference),
        accuracy: r.accuracy ?? null,
        estimated: r.estimated ?? null,
        missing: r.missing ?? null,
      });
    }
  }
  return rows;
}

const COLUMNS: [string, (r: Row) => string][] = [
  ['workload', (r) => r.label],
  ['system', (r) => r.system],
  ['median ms', (r) => fixed(r.medianMs) + (r.estimated ? ' (est.)' : '')],
  ['runs', (r) => (r.estimated ? 'est.' : `${r.reps}`)],
  ['elements/s', (r) => sci(r.elementsPerSecond)],
  ['x losslab', (r) => (r.ratioToLosslab === null ? '' : `${fixed(r.ratioToLosslab)}x`)],
  ['% of copy bw', (r) => pct(r.bandwidthFraction)],
  ['value', (r) => (r.value === null ? '' : r.value.toPrecision(10))],
  ['rel. error', (r) => (r.relError === null ? '' : r.relError === 0 ? '0' : r.relError.toExponential(1))],
  ['test acc.', (r) => (r.accuracy === null ? '' : pct(r.accuracy, 2))],
];

/** The rows as a plain-text table, one block per workload; a system without the loss shows '—'. */
export function formatTable(rows: readonly Row[]): string {
  const cells = rows.map((r) => COLUMNS.map(([, f], i) => (r.missing && i >= 2 ? '—' : f(r))));
  const widths = COLUMNS.map(([h], i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => c.map((s, i) => (i < 2 ? s.padEnd(widths[i]!) : s.padStart(widths[i]!))).join('  ');
  const out = [line(COLUMNS.map(([h]) => h)), widths.map((w) => '-'.repeat(w)).join('  ')];
  rows.forEach((r, i) => {
    if (i > 0 && rows[i - 1]!.workload !== r.workload) out.push('');
    out.push(line(cells[i]!));
  });
  return out.join('\n');
}

/** One of the performance targets for losslab, checked on this run's ratios. */
export interface TargetCheck {
  target: string;
  workload: string;
  met: boolean;
  detail: string;
}

/**
 * The targets: every workload faster than tfjs wasm and >= 10x faster than tfjs cpu;
 * MSE and BCE at the largest size at least as fast as PyTorch; softmax CE within 3x of
 * PyTorch; MNIST all epochs within 1.5x of PyTorch at 91.8% +- 0.5 test accuracy; the triplet
 * margin and GIoU losses at least as fast as PyTorch, CTC within 1.5x (TensorFlow.js has none of them).
 */
export function checkTargets(rows: readonly Row[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const ratio = (w: string, s: string) => rows.find((r) => r.workload === w && r.system === s)?.ratioToLosslab ?? null;
  const add = (target: string, workload: string, x: number | null, min: number) => {
    if (x !== null) checks.push({ target, workload, met: x >= min, detail: `its time / losslab's = ${s3(x)} (need >= ${s3(min)})` });
  };
  const largest = Math.max(...rows.filter((r) => r.kind === 'mse').map((r) => r.elements));
  for (const w of new Set(rows.map((r) => r.workload))) {
    const row = rows.find((r) => r.workload === w)!;
    add('faster than tfjs-wasm', w, ratio(w, 'tfjs-wasm'), 1);
    add('>= 10x faster than tfjs-cpu', w, ratio(w, 'tfjs-cpu'), 10);
    if ((row.kind === 'mse' || row.kind === 'bce') && row.elements === largest) add('at least as fast as torch', w, ratio(w, 'torch'), 1);
    if (row.kind === 'softmax-ce') add('within 3x of torch', w, ratio(w, 'torch'), 1 / 3);
    if (row.kind === 'triplet' || row.kind === 'giou') add('at least as fast as torch', w, ratio(w, 'torch'), 1);
    if (row.kind === 'ctc') add('within 1.5x of torch', w, ratio(w, 'torch'), 1 / 1.5);
    if (row.kind === 'mnist-full') {
      add('within 1.5x of torch', w, ratio(w, 'torch'), 1 / 1.5);
      const acc = rows.find((r) => r.workload === w && r.system === 'losslab')?.accuracy ?? null;
      if (acc !== null) checks.push({ target: 'test accuracy 91.8% +- 0.5', workload: w, met: Math.abs(acc - 0.918) <= 0.005, detail: pct(acc, 2) });
    }
  }
  return checks;
}

export function formatTargets(checks: readonly TargetCheck[]): string {
  return checks.map((c) => `${c.met ? 'met ' : 'MISS'}  ${c.workload.padEnd(22)} ${c.target.padEnd(30)} ${c.detail}`).join('\n');
}

function fixed(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toPrecision(2);
}

function s3(x: number): string {
  return x.toPrecision(3);
}

function sci(x: number): string {
  return x.toExponential(2);
}

function pct(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '';
}
