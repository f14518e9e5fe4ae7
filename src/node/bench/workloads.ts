import { Random } from '../../core/training/random';
import { loadMnist } from '../mnist';
import type { Repetitions } from './measure';

/** The systems compared; losslab is the baseline of every ratio. */
export const SYSTEMS = ['losslab', 'tfjs-wasm', 'tfjs-cpu', 'torch'] as const;
export type SystemName = (typeof SYSTEMS)[number];

export type WorkloadKind = 'mse' | 'bce' | 'softmax-ce' | 'mnist-epoch' | 'mnist-full';

/** Value + gradient of an elementwise loss over `size` float32 elements. */
export interface ElementwiseWorkload {
  kind: 'mse' | 'bce';
  id: string;
  label: string;
  /** Elements processed per run. */
  elements: number;
  /** MSE: input ~ N(0, 1); BCE: probabilities ~ U[0.001, 0.999]. */
  x: Float32Array;
  /** MSE: target ~ N(0, 1); BCE: labels 0 or 1. */
  y: Float32Array;
  /** The mean loss in float64 from the same float32 inputs (compensated sum). */
  reference: number;
}

/** Value + gradient of softmax cross-entropy from logits, integer targets, mean over rows. */
export interface SoftmaxWorkload {
  kind: 'softmax-ce';
  id: string;
  label: string;
  elements: number;
  rows: number;
  cols: number;
  /** Logits ~ N(0, 1), `[rows, cols]` row-major. */
  logits: Float32Array;
  labels: Int32Array;
  reference: number;
}

/** The notebooks' MNIST linear classifier: 784 -> 10, batch 64, SGD lr 0.01, cross-entropy. */
export interface MnistData {
  train: { images: Float32Array; labels: Uint8Array; count: number };
  test: { images: Float32Array; labels: Uint8Array; count: number };
  batchSize: number;
  lr: number;
  epochs: number;
  /** One shuffled order of the training rows per epoch (Fisher-Yates from a seeded Random). */
  perms: Int32Array[];
  /** The shared initial weight `[10, 784]` and bias `[10]`, U(-1/28, 1/28) as nn.Linear's init. */
  initWeight: Float32Array;
  initBias: Float32Array;
}

/** One training epoch (`mnist-epoch`, from the initial weights with `perms[0]`) or all of them then the test accuracy (`mnist-full`). */
export interface MnistWorkload {
  kind: 'mnist-epoch' | 'mnist-full';
  id: string;
  label: string;
  /** Training samples processed per run. */
  elements: number;
  epochs: number;
  data: MnistData;
}

export type Workload = ElementwiseWorkload | SoftmaxWorkload | MnistWorkload;

export function isElementwise(w: Workload): w is ElementwiseWorkload {
  return w.kind === 'mse' || w.kind === 'bce';
}

export interface BenchConfig {
  quick: boolean;
  elementwiseSizes: number[];
  softmax: { rows: number; cols: number };
  mnist: { train: number; test: number; epochs: number } | null;
  /** Run the `mnist-full` workload (all epochs and the test accuracy). */
  mnistFull: boolean;
}

export const SEED = 20240611;

/** The sizes, or small ones for `--quick` (the test suite). */
export function benchConfig(o: { quick: boolean; mnist: boolean; mnistFull: boolean }): BenchConfig {
  const mnist = !o.mnist ? null : o.quick ? { train: 128, test: 256, epochs: 2 } : { train: 60000, test: 10000, epochs: 10 };
  return {
    quick: o.quick,
    elementwiseSizes: o.quick ? [1e4, 1e5] : [1e6, 1e7],
    softmax: o.quick ? { rows: 64, cols: 100 } : { rows: 4096, cols: 1000 },
    mnist,
    mnistFull: o.mnistFull && mnist !== null,
  };
}

/**
 * Warm-up and timed runs per system. The tfjs cpu backend is ~100x slower than the others
 * on big arrays, so it gets fewer runs there; every table row reports its count.
 */
export function repetitions(w: Workload, system: SystemName, quick: boolean): Repetitions {
  if (quick) return { warmup: 1, reps: 2 };
  if (w.kind === 'mnist-full') return { warmup: 0, reps: 1 };
  if (w.kind === 'mnist-epoch') return system === 'tfjs-cpu' ? { warmup: 1, reps: 1 } : { warmup: 1, reps: 3 };
  if (system === 'tfjs-cpu') return w.elements >= 4e6 ? { warmup: 1, reps: 3 } : { warmup: 1, reps: 5 };
  return { warmup: 2, reps: 11 };
}

/** 1e6, 2.5e5 ... for labels. */
export function sizeLabel(n: number): string {
  const e = Math.floor(Math.log10(n));
  const m = n / 10 ** e;
  return m === 1 ? `1e${e}` : `${m}e${e}`;
}

/** Builds every workload's data from SEED; the same arrays go to every system. */
export function buildWorkloads(config: BenchConfig): Workload[] {
  const out: Workload[] = [];
  for (const n of config.elementwiseSizes) out.push(mseWorkload(n));
  for (const n of config.elementwiseSizes) out.push(bceWorkload(n));
  out.push(softmaxWorkload(config.softmax.rows, config.softmax.cols));
  if (config.mnist) {
    const data = mnistData(config.mnist.train, config.mnist.test, config.mnist.epochs);
    const n = data.train.count;
    out.push({ kind: 'mnist-epoch', id: 'mnist-epoch', label: `MNIST 1 epoch (${n} samples)`, elements: n, epochs: 1, data });
    if (config.mnistFull) {
      const e = data.epochs;
      out.push({ kind: 'mnist-full', id: 'mnist-full', label: `MNIST ${e} epochs + test acc`, elements: n * e, epochs: e, data });
    }
  }
  return out;
}

function mseWorkload(n: number): ElementwiseWorkload {
  const rng = new Random(SEED + n);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.normal();
  for (let i = 0; i < n; i++) y[i] = rng.normal();
  const sum = new CompensatedSum();
  for (let i = 0; i < n; i++) {
    const d = x[i]! - y[i]!;
    sum.add(d * d);
  }
  return { kind: 'mse', id: `mse-${sizeLabel(n)}`, label: `MSE ${sizeLabel(n)}`, elements: n, x, y, reference: sum.value() / n };
}

function bceWorkload(n: number): ElementwiseWorkload {
  const rng = new Random(SEED + 2 * n + 1);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.uniform(0.001, 0.999);
  for (let i = 0; i < n; i++) y[i] = rng.uniform() < 0.5 ? 0 : 1;
  const sum = new CompensatedSum();
  for (let i = 0; i < n; i++) {
    const p = x[i]!;
    sum.add(-(y[i]! * Math.max(Math.log(p), -100) + (1 - y[i]!) * Math.max(Math.log1p(-p), -100)));
  }
  return { kind: 'bce', id: `bce-${sizeLabel(n)}`, label: `BCE ${sizeLabel(n)}`, elements: n, x, y, reference: sum.value() / n };
}

function softmaxWorkload(rows: number, cols: number): SoftmaxWorkload {
  const rng = new Random(SEED + rows * cols + 7);
  const logits = new Float32Array(rows * cols);
  for (let i = 0; i < logits.length; i++) logits[i] = rng.normal();
  const labels = new Int32Array(rows);
  for (let r = 0; r < rows; r++) labels[r] = rng.int(cols);
  // l_r = log sum_j exp(z_rj) - z_r,label, with the max subtracted; both sums compensated
  const sum = new CompensatedSum();
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let m = -Infinity;
    for (let j = 0; j < cols; j++) m = Math.max(m, logits[o + j]!);
    const s = new CompensatedSum();
    for (let j = 0; j < cols; j++) s.add(Math.exp(logits[o + j]! - m));
    sum.add(m + Math.log(s.value()) - logits[o + labels[r]!]!);
  }
  const id = `softmax-ce-${rows}x${cols}`;
  return { kind: 'softmax-ce', id, label: `softmax CE [${rows} x ${cols}]`, elements: rows * cols, rows, cols, logits, labels, reference: sum.value() / rows };
}

function mnistData(trainCount: number, testCount: number, epochs: number): MnistData {
  const train = loadMnist({ split: 'train', limit: trainCount });
  const test = loadMnist({ split: 'test', limit: testCount });
  const rng = new Random(SEED);
  const bound = 1 / Math.sqrt(784);
  const initWeight = new Float32Array(10 * 784);
  const initBias = new Float32Array(10);
  for (let i = 0; i < initWeight.length; i++) initWeight[i] = rng.uniform(-bound, bound);
  for (let i = 0; i < initBias.length; i++) initBias[i] = rng.uniform(-bound, bound);
  const perms: Int32Array[] = [];
  for (let e = 0; e < epochs; e++) {
    const order = new Int32Array(train.count);
    for (let i = 0; i < order.length; i++) order[i] = i;
    perms.push(rng.shuffle(order));
  }
  return {
    train: { images: train.images, labels: train.labels, count: train.count },
    test: { images: test.images, labels: test.labels, count: test.count },
    batchSize: 64,
    lr: 0.01,
    epochs,
    perms,
    initWeight,
    initBias,
  };
}

/** Neumaier's compensated summation: the float64 reference is exact to ~1 ulp of the sum. */
class CompensatedSum {
  private s = 0;
  private c = 0;
  add(v: number): void {
    const t = this.s + v;
    this.c += Math.abs(this.s) >= Math.abs(v) ? this.s - t + v : v - t + this.s;
    this.s = t;
  }
  value(): number {
    return this.s + this.c;
  }
}
