import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { benchLosslab } from './losslab';
import { copyTime, type CopyTime, type Repetitions, type Result } from './measure';
import { buildRows, checkTargets, formatTable, formatTargets, type Row } from './table';
import { benchTfjs, useTfjs } from './tfjs';
import { benchTorch, torchUnavailable } from './torch';
import { benchConfig, buildWorkloads, isElementwise, repetitions, type SystemName, type Workload } from './workloads';

const USAGE = `npm run bench -- [--quick] [--json [PATH]] [--no-mnist-full] [--no-mnist] [--no-torch] [--only ID,...]

  --quick          small sizes (1e4/1e5 elements, [64 x 100], 128 MNIST samples), 1 warm-up + 2 runs
  --json [PATH]    also write the rows as JSON (default bench-results.json)
  --no-mnist-full  skip the full MNIST training run (all epochs + test accuracy)
  --no-mnist       skip both MNIST workloads
  --no-torch       skip PyTorch (its float32 and float64 rows) even when it is importable
  --only ID,...    only the workloads whose id starts with one of these (e.g. --only triplet,giou,ctc);
                   the triplet, GIoU and CTC workloads run at full size, and with --quick only when named here`;

/** tfjs cpu's full MNIST run is extrapolated from one epoch when it would take longer than this. */
const CPU_FULL_RUN_LIMIT_MS = 180_000;

export interface CliOptions {
  quick: boolean;
  json: string | null;
  mnist: boolean;
  mnistFull: boolean;
  torch: boolean;
  /** Workload id prefixes to run (null: all). */
  only: string[] | null;
}

export function parseArgs(argv: readonly string[]): CliOptions | 'help' {
  const o: CliOptions = { quick: false, json: null, mnist: true, mnistFull: true, torch: true, only: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--quick') o.quick = true;
    else if (a === '--json') o.json = argv[i + 1] && !argv[i + 1]!.startsWith('--') ? argv[++i]! : 'bench-results.json';
    else if (a.startsWith('--json=')) o.json = a.slice('--json='.length);
    else if (a === '--no-mnist-full') o.mnistFull = false;
    else if (a === '--no-mnist') o.mnist = false;
    else if (a === '--no-torch') o.torch = false;
    else if (a === '--only' || a.startsWith('--only=')) o.only = (a === '--only' ? (argv[++i] ?? '') : a.slice('--only='.length)).split(',').filter((s) => s !== '');
    else if (a === '--help' || a === '-h') return 'help';
    else throw new Error(`bench: unknown argument ${JSON.stringify(a)}\n${USAGE}`);
  }
  return o;
}

const log = (s: string) => process.stderr.write(`${s}\n`);

export async function main(argv: readonly string[]): Promise<void> {
  const o = parseArgs(argv);
  if (o === 'help') return void console.log(USAGE);
  log(`losslab bench${o.quick ? ' (quick)' : ''}: generating the data (seeded)...`);
  const wanted = (id: string) => o.only === null || o.only.some((prefix) => id.startsWith(prefix));
  // MNIST is only loaded when wanted; the quick run (the test suite's) keeps the triplet and GIoU workloads out unless named
  const config = benchConfig({ ...o, mnist: o.mnist && (wanted('mnist-epoch') || wanted('mnist-full')), multi: !o.quick || o.only !== null });
  const workloads = buildWorkloads(config).filter((w) => wanted(w.id));
  if (workloads.length === 0) throw new Error(`bench: --only ${o.only?.join(',')} matches no workload\n${USAGE}`);
  const reps = (w: Workload, s: SystemName): Repetitions => repetitions(w, s, o.quick);
  const notes: string[] = [];
  const copyMs = copyReference(workloads, o.quick);
  const results: Result[] = [];
  log('losslab:');
  for (const w of workloads) results.push(tap(benchLosslab(w, reps(w, 'losslab'))));
  for (const backend of ['wasm', 'cpu'] as const) results.push(...(await runTfjs(backend, workloads, reps, notes)));
  const torch = runTorch(o.torch, workloads, reps, notes);
  results.push(...torch.results);
  report(o, buildRows(workloads, results, copyMs), { torch: torch.version, notes });
}

/** The memory-bandwidth reference of every workload, measured first. */
function copyReference(workloads: readonly Workload[], quick: boolean): Map<string, CopyTime> {
  log("memory-bandwidth reference (TypedArray.prototype.set of each workload's inputs; median, min):");
  const copyMs = new Map<string, CopyTime>();
  for (const w of workloads) {
    const c = copyInputs(w, quick);
    copyMs.set(w.id, c);
    log(`  copy      ${w.id.padEnd(22)} ${c.medianMs.toFixed(2).padStart(10)} ms ${c.minMs.toFixed(2).padStart(10)} ms`);
  }
  return copyMs;
}

async function runTfjs(backend: 'wasm' | 'cpu', workloads: readonly Workload[], reps: (w: Workload, s: SystemName) => Repetitions, notes: string[]) {
  const system = `tfjs-${backend}` as const;
  log(`${system}:`);
  await useTfjs(backend);
  const results: Result[] = [];
  for (const w of workloads) {
    const estimate = w.kind === 'mnist-full' && backend === 'cpu' ? cpuFullRunEstimate(results, w) : null;
    if (estimate) notes.push(`tfjs-cpu ${w.id}: ${estimate.estimated}`);
    results.push(tap(estimate ?? benchTfjs(w, system, reps(w, system))));
  }
  return results;
}

function runTorch(wanted: boolean, workloads: readonly Workload[], reps: (w: Workload, s: SystemName) => Repetitions, notes: string[]) {
  const why = wanted ? torchUnavailable() : 'skipped (--no-torch)';
  if (why) {
    notes.push(`PyTorch rows skipped: ${why}`);
    return { results: [], version: null };
  }
  log('torch (1 thread, float32):');
  const f32 = benchTorch(workloads, (w) => reps(w, 'torch'));
  // float64 at losslab's precision (the float32 data converted); not the MNIST runs, which take minutes
  const at64 = workloads.filter((w) => !w.kind.startsWith('mnist'));
  if (at64.length === 0) return f32;
  log('torch-f64 (1 thread, float64, the same data):');
  return { results: [...f32.results, ...benchTorch(at64, (w) => reps(w, 'torch-f64'), 'float64').results], version: f32.version };
}

/** Prints the table, the notes and the target checks; writes the JSON when asked. */
function report(o: CliOptions, rows: Row[], extra: { torch: string | null; notes: string[] }): void {
  const targets = checkTargets(rows);
  const meta = {
    date: new Date().toISOString(),
    quick: o.quick,
    source: sourceRevision(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    loadAverage: loadavg(),
    ...extra,
  };
  console.log(`\nlosslab bench${o.quick ? ' --quick (small sizes; times are not meaningful)' : ''}: median and minimum of timed runs after warm-up`);
  console.log('(the minimum is the kernel on warm memory, the median adds allocator and page-fault noise);');
  console.log('"x losslab" = system time / losslab time, on medians and on minimums (above 1: losslab faster);');
  console.log('"% of copy" = time to copy the inputs / time, median / median and min / min;');
  console.log('rel. error = |value - float64 reference| / reference; MNIST: samples/s, value = mean loss of the last epoch.\n');
  console.log(formatTable(rows));
  for (const n of extra.notes) console.log(`\nnote: ${n}`);
  console.log(`\ntargets (ratios from this run${o.quick ? "; quick sizes, not the targets' sizes" : ''}):\n${formatTargets(targets)}`);
  if (o.json) {
    writeFileSync(o.json, JSON.stringify({ meta, rows, targets }, null, 2));
    console.log(`\nwrote ${o.json}`);
  }
}

/** The commit the numbers belong to, with "+dirty" when the tree has changes (null outside git). */
function sourceRevision(): string | null {
  const head = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
  if (head.status !== 0) return null;
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'src'], { encoding: 'utf8' }).stdout.trim() !== '';
  return head.stdout.trim() + (dirty ? '+dirty' : '');
}

/** Logs a result's median as it comes in (the runs take minutes at full size). */
function tap(r: Result): Result {
  if (r.missing) log(`  ${r.system.padEnd(9)} ${r.workload.padEnd(22)} ${'—'.padStart(10)}    (${r.missing})`);
  else {
    const { medianMs, minMs } = r.timing;
    log(`  ${r.system.padEnd(9)} ${r.workload.padEnd(22)} ${medianMs.toFixed(2).padStart(10)} ms ${minMs.toFixed(2).padStart(10)} ms${r.estimated ? ' (estimated)' : ''}`);
  }
  return r;
}

function copyInputs(w: Workload, quick: boolean): CopyTime {
  const r = { warmup: 1, reps: quick ? 3 : 11 };
  if (isElementwise(w)) return copyTime([w.x, w.y], r);
  if (w.kind === 'softmax-ce') return copyTime([w.logits, w.labels], r);
  if (w.kind === 'triplet') return copyTime([w.anchor, w.positive, w.negative], r);
  if (w.kind === 'giou') return copyTime([w.boxes1, w.boxes2], r);
  if (w.kind === 'ctc') return copyTime([w.logProbs, w.targets], r);
  // one pass over the training images (and labels) per epoch
  const epoch = copyTime([w.data.train.images, w.data.train.labels], r);
  return { medianMs: epoch.medianMs * w.epochs, minMs: epoch.minMs * w.epochs };
}

/** tfjs cpu's full MNIST run, extrapolated from its one-epoch time when running it would take too long. */
function cpuFullRunEstimate(results: readonly Result[], w: Workload): Result | null {
  const epoch = results.find((r) => r.system === 'tfjs-cpu' && r.workload === 'mnist-epoch');
  if (!epoch || w.kind !== 'mnist-full') return null;
  const ms = epoch.timing.medianMs * w.epochs;
  if (ms <= CPU_FULL_RUN_LIMIT_MS) return null;
  return {
    workload: w.id,
    system: 'tfjs-cpu',
    timing: { medianMs: ms, minMs: epoch.timing.minMs * w.epochs, samplesMs: [], warmup: 0, reps: 0 },
    value: null,
    accuracy: null,
    estimated: `estimated as ${w.epochs} x its one-epoch median (${(ms / 1000).toFixed(0)} s > ${CPU_FULL_RUN_LIMIT_MS / 1000} s limit), not run`,
  };
}
