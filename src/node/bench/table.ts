import type { CopyTime, Result } from './measure';
import type { Workload } from './workloads';

/** One line of the table and of the JSON. */
export interface Row {
  workload: string;
  label: string;
  kind: Workload['kind'];
  system: string;
  medianMs: number;
  /** The fastest timed run (the kernel on warm memory). */
  minMs: number;
  samplesMs: number[];
  warmup: number;
  reps: number;
  /** Elements (MNIST: training samples) per run. */
  elements: number;
  elementsPerSecond: number;
  /** This system's median time / losslab's: above 1, losslab is faster. */
  ratioToLosslab: number | null;
  /** This system's minimum time / losslab's minimum: the kernels compared on warm memory. */
  ratioToLosslabMin: number | null;
  /** Time to copy the workload's input bytes with TypedArray.prototype.set, same process (median). */
  copyMs: number;
  /** The fastest of those copies. */
  copyMinMs: number;
  /** copyMs / medianMs: the share of the memory-bandwidth limit reached (1 = as fast as a copy). */
  bandwidthFraction: number;
  /** copyMinMs / minMs: the same share, minimum against minimum. */
  bandwidthFractionMin: number;
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
export function buildRows(workloads: readonly Workload[], results: readonly Result[], copyMs: ReadonlyMap<string, CopyTime>): Row[] {
  const rows: Row[] = [];
  for (const w of workloads) {
    const base = results.find((r) => r.workload === w.id && r.system === 'losslab');
    const reference = 'reference' in w ? w.reference : null;
    for (const r of results.filter((x) => x.workload === w.id)) {
      const ms = r.timing.medianMs;
      const min = r.timing.minMs;
      const copy = copyMs.get(w.id) ?? { medianMs: NaN, minMs: NaN };
      rows.push({
        workload: w.id,
        label: w.label,
        kind: w.kind,
        system: r.system,
        medianMs: ms,
        minMs: min,
        samplesMs: r.timing.samplesMs,
        warmup: r.timing.warmup,
        reps: r.timing.reps,
        elements: w.elements,
        elementsPerSecond: w.elements / (ms / 1000),
        ratioToLosslab: base && !r.missing ? ms / base.timing.medianMs : null,
        ratioToLosslabMin: base && !r.missing && !r.estimated ? min / base.timing.minMs : null,
        copyMs: copy.medianMs,
        copyMinMs: copy.minMs,
        bandwidthFraction: copy.medianMs / ms,
        bandwidthFractionMin: copy.minMs / min,
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
  ['min ms', (r) => (r.estimated ? '' : fixed(r.minMs))],
  ['runs', (r) => (r.estimated ? 'est.' : `${r.reps}`)],
  ['elements/s', (r) => sci(r.elementsPerSecond)],
  ['x losslab', (r) => (r.ratioToLosslab === null ? '' : `${fixed(r.ratioToLosslab)}x`)],
  ['x losslab (min)', (r) => (r.ratioToLosslabMin === null ? '' : `${fixed(r.ratioToLosslabMin)}x`)],
  ['% of copy', (r) => pct(r.bandwidthFraction)],
  ['% of copy (min)', (r) => (r.estimated ? '' : pct(r.bandwidthFractionMin))],
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

/** The elementwise losses of the copy-reference targets, with the share of the copy each must reach. */
const COPY_TARGETS: Partial<Record<Workload['kind'], number>> = { mse: 0.5, mae: 0.5, huber: 0.5, smoothL1: 0.5, logCosh: 0.5, bce: 0.25, bceLogits: 0.25 };

/**
 * The targets (issue #13, with #5's and #9's that still hold): every workload faster than tfjs wasm
 * and >= 10x faster than tfjs cpu; every workload faster than PyTorch on one thread by its median
 * and by its minimum; the elementwise losses at 1e6 elements and above at 50 % of the copy
 * reference (minimum against minimum), BCE and BCE with logits at 25 %; softmax CE at >= 2x
 * PyTorch's minimum; MNIST at 91.8 % +- 0.5 test accuracy.
 */
export function checkTargets(rows: readonly Row[]): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const row = (w: string, s: string) => rows.find((r) => r.workload === w && r.system === s) ?? null;
  const add = (target: string, workload: string, x: number | null | undefined, min: number, what = "its time / losslab's") => {
    if (x !== null && x !== undefined) checks.push({ target, workload, met: x >= min, detail: `${what} = ${s3(x)} (need >= ${s3(min)})` });
  };
  for (const w of new Set(rows.map((r) => r.workload))) {
    const own = row(w, 'losslab');
    const kind = rows.find((r) => r.workload === w)!.kind;
    add('faster than tfjs-wasm', w, row(w, 'tfjs-wasm')?.ratioToLosslab, 1);
    add('>= 10x faster than tfjs-cpu', w, row(w, 'tfjs-cpu')?.ratioToLosslab, 10);
    const torchMin = kind === 'softmax-ce' ? 2 : 1;
    add('faster than torch (median)', w, row(w, 'torch')?.ratioToLosslab, 1);
    add(`${torchMin === 2 ? '>= 2x ' : ''}faster than torch (min)`, w, row(w, 'torch')?.ratioToLosslabMin, torchMin);
    const share = COPY_TARGETS[kind];
    if (own && share !== undefined && own.elements >= 1e6) add(`>= ${share * 100}% of the copy (min)`, w, own.bandwidthFractionMin, share, "copy's min / losslab's min");
    if (kind === 'mnist-full') {
      const acc = own?.accuracy ?? null;
      if (acc !== null) checks.push({ target: 'test accuracy 91.8% +- 0.5', workload: w, met: Math.abs(acc - 0.918) <= 0.005, detail: pct(acc, 2) });
    }
  }
  return checks;
}

export function formatTargets(checks: readonly TargetCheck[]): string {
  return checks.map((c) => `${c.met ? 'met ' : 'MISS'}  ${c.workload.padEnd(22)} ${c.target.padEnd(32)} ${c.detail}`).join('\n');
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
