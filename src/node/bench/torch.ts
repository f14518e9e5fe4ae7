import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Repetitions, Result } from './measure';
import { isElementwise, type Workload } from './workloads';

/** Debian's Python, which has torch; LOSSLAB_BENCH_PYTHON overrides it. */
const PYTHON = process.env.LOSSLAB_BENCH_PYTHON ?? '/usr/bin/python3';
const SCRIPT = join(process.cwd(), 'scripts', 'bench', 'torch_bench.py');

/** null when `python3 -c "import torch"` works, else why not. */
export function torchUnavailable(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (r.error) return `${PYTHON} not runnable (${r.error.message})`;
  if (r.status !== 0) return `${PYTHON} -c "import torch" failed: ${r.stderr.trim().split('\n').pop()}`;
  return null;
}

/** The PyTorch systems: float32 (the targets' reference), and float64 (the same data converted: losslab's precision). */
export const TORCH_SYSTEMS = { float32: 'torch', float64: 'torch-f64' } as const;

/**
 * Runs every workload in PyTorch (one thread, `dtype`) through scripts/bench/torch_bench.py:
 * the exact arrays go through raw little-endian files in a temporary folder, with a JSON
 * manifest; the script prints its results as JSON.
 */
export function benchTorch(
  workloads: readonly Workload[],
  reps: (w: Workload) => Repetitions,
  dtype: keyof typeof TORCH_SYSTEMS = 'float32',
): { results: Result[]; version: string } {
  const dir = mkdtempSync(join(tmpdir(), 'losslab-bench-'));
  try {
    const file = (name: string, a: ArrayBufferView) => {
      const path = join(dir, name);
      writeFileSync(path, new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
      return path;
    };
    const written = new Set<unknown>();
    const manifest = workloads.map((w) => {
      const base = { id: w.id, kind: w.kind, ...reps(w) };
      if (isElementwise(w)) return { ...base, x: file(`${w.id}.x.f32`, w.x), y: file(`${w.id}.y.f32`, w.y) };
      if (w.kind === 'softmax-ce') {
        return { ...base, rows: w.rows, cols: w.cols, logits: file(`${w.id}.logits.f32`, w.logits), labels: file(`${w.id}.labels.i32`, w.labels) };
      }
      if (w.kind === 'triplet') {
        const [anchor, positive, negative] = [w.anchor, w.positive, w.negative].map((a, k) => file(`${w.id}.${k}.f32`, a));
        return { ...base, rows: w.rows, cols: w.cols, anchor, positive, negative };
      }
      if (w.kind === 'giou') return { ...base, rows: w.rows, boxes1: file(`${w.id}.boxes1.f32`, w.boxes1), boxes2: file(`${w.id}.boxes2.f32`, w.boxes2) };
      if (w.kind === 'ctc') {
        const logProbs = file(`${w.id}.logProbs.f32`, w.logProbs);
        const [targets, inputLengths, targetLengths] = [w.targets, w.inputLengths, w.targetLengths].map((a, k) => file(`${w.id}.${k}.i32`, a));
        return { ...base, T: w.T, N: w.N, C: w.C, S: w.S, logProbs, targets, inputLengths, targetLengths };
      }
      const d = w.data;
      if (!written.has(d)) {
        written.add(d);
        file('mnist.train.f32', d.train.images);
        file('mnist.train-labels.u8', d.train.labels);
        file('mnist.test.f32', d.test.images);
        file('mnist.test-labels.u8', d.test.labels);
        file('mnist.weight.f32', d.initWeight);
        file('mnist.bias.f32', d.initBias);
        const perms = new Int32Array(d.perms.length * d.train.count);
        d.perms.forEach((p, e) => perms.set(p, e * d.train.count));
        file('mnist.perms.i32', perms);
      }
      return { ...base, epochs: w.epochs, dir, train: d.train.count, test: d.test.count, batchSize: d.batchSize, lr: d.lr };
    });
    const manifestPath = join(dir, 'manifest.json');
    writeFileSync(manifestPath, JSON.stringify({ dtype, workloads: manifest }));
    const r = spawnSync(PYTHON, [SCRIPT, manifestPath], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`torch_bench.py exited with ${r.status ?? r.signal}`);
    const out = JSON.parse(r.stdout) as { torch: string; results: TorchResult[] };
    const results = out.results.map((t): Result => ({
      workload: t.id,
      system: TORCH_SYSTEMS[dtype],
      timing: { medianMs: t.medianMs, minMs: t.minMs, samplesMs: t.samplesMs, warmup: t.warmup, reps: t.reps },
      value: t.value,
      ...(t.accuracy === undefined ? {} : { accuracy: t.accuracy }),
    }));
    return { results, version: out.torch };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface TorchResult {
  id: string;
  medianMs: number;
  minMs: number;
  samplesMs: number[];
  warmup: number;
  reps: number;
  value: number;
  accuracy?: number;
}
