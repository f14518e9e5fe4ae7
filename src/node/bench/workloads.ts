import { Random } from '../../core/training/random';
import { loadMnist } from '../mnist';
import type { Repetitions } from './measure';

/** The systems compared; losslab is the baseline of every ratio. */
export const SYSTEMS = ['losslab', 'tfjs-wasm', 'tfjs-cpu', 'torch', 'torch-f64'] as const;
export type SystemName = (typeof SYSTEMS)[number];

/** The elementwise losses benched, in table order: mse, mae, huber (delta 1), smoothL1Loss (beta 1), logCosh, binaryCrossEntropy, binaryCrossEntropyWithLogits. */
export const ELEMENTWISE_KINDS = ['mse', 'mae', 'huber', 'smoothL1', 'logCosh', 'bce', 'bceLogits'] as const;
export type ElementwiseKind = (typeof ELEMENTWISE_KINDS)[number];

export type WorkloadKind = ElementwiseKind | 'softmax-ce' | 'mnist-epoch' | 'mnist-full' | 'triplet' | 'giou' | 'ctc';

/** Value + gradient of an elementwise loss over `size` float32 elements. */
export interface ElementwiseWorkload {
  kind: ElementwiseKind;
  id: string;
  label: string;
  /** Elements processed per run. */
  elements: number;
  /** Regression losses: input ~ N(0, 1); BCE: probabilities ~ U[0.001, 0.999]; BCE with logits: logits ~ N(0, 4). */
  x: Float32Array;
  /** Regression losses: target ~ N(0, 1); BCE and BCE with logits: labels 0 or 1. */
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

/** Value + the three gradients of the triplet margin loss (margin 1, p 2, eps 1e-6), mean over rows. */
export interface TripletWorkload {
  kind: 'triplet';
  id: string;
  label: string;
  elements: number;
  rows: number;
  cols: number;
  /** Anchor ~ N(0, 1); positive = anchor + N(0, 1), negative = anchor + 1.05 N(0, 1): about half the rows inside the margin. */
  anchor: Float32Array;
  positive: Float32Array;
  negative: Float32Array;
  reference: number;
}

/** Value + d/d boxes1 of torchvision's generalized IoU loss (eps 1e-7), mean over `[rows, 4]` boxes. */
export interface BoxWorkload {
  kind: 'giou';
  id: string;
  label: string;
  elements: number;
  rows: number;
  /** x1, y1 ~ U(0, 100), sides ~ U(1, 20); boxes2 shifted by U(-5, 5) and scaled by U(0.7, 1.4) (some do not overlap). */
  boxes1: Float32Array;
  boxes2: Float32Array;
  reference: number;
}

/** Value + d/d logProbs of the CTC loss (blank 0, mean over target lengths then the batch) on `[T, N, C]` log-probabilities. */
export interface CtcWorkload {
  kind: 'ctc';
  id: string;
  label: string;
  elements: number;
  T: number;
  N: number;
  C: number;
  S: number;
  /** log_softmax of N(0, 1) logits (in float64, then rounded to float32), `[T, N, C]`. */
  logProbs: Float32Array;
  /** `[N, S]` padded labels in [1, C); lengths in [S/2, S]; input lengths in [3T/4, T]. */
  targets: Int32Array;
  inputLengths: Int32Array;
  targetLengths: Int32Array;
  reference: number;
}

export type Workload = ElementwiseWorkload | SoftmaxWorkload | MnistWorkload | TripletWorkload | BoxWorkload | CtcWorkload;

export function isElementwise(w: Workload): w is ElementwiseWorkload {
  return (ELEMENTWISE_KINDS as readonly string[]).includes(w.kind);
}

export interface BenchConfig {
  quick: boolean;
  elementwiseSizes: number[];
  softmax: { rows: number; cols: number };
  mnist: { train: number; test: number; epochs: number } | null;
  /** Run the `mnist-full` workload (all epochs and the test accuracy). */
  mnistFull: boolean;
  /** The losses of several arguments: triplet margin `[rows, cols]` and GIoU over `boxes`; null to skip them. */
  multi: { triplet: { rows: number; cols: number }; boxes: number; ctc: CtcSize } | null;
}

/** The CTC workload's sizes: T frames, N samples, C classes, targets of up to S labels. */
export interface CtcSize {
  T: number;
  N: number;
  C: number;
  S: number;
}

export const SEED = 20240611;

/** The sizes, or small ones for `--quick` (the test suite). */
export function benchConfig(o: { quick: boolean; mnist: boolean; mnistFull: boolean; multi?: boolean }): BenchConfig {
  const mnist = !o.mnist ? null : o.quick ? { train: 128, test: 256, epochs: 2 } : { train: 60000, test: 10000, epochs: 10 };
  return {
    quick: o.quick,
    elementwiseSizes: o.quick ? [1e4, 1e5] : [1e5, 1e6, 1e7],
    softmax: o.quick ? { rows: 64, cols: 100 } : { rows: 4096, cols: 1000 },
    mnist,
    mnistFull: o.mnistFull && mnist !== null,
    multi:
      o.multi === false
        ? null
        : o.quick
          ? { triplet: { rows: 64, cols: 16 }, boxes: 1000, ctc: { T: 50, N: 4, C: 20, S: 10 } }
          : { triplet: { rows: 4096, cols: 128 }, boxes: 1e5, ctc: { T: 200, N: 32, C: 50, S: 30 } },
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
  // every system warms up for at least 100 ms as well (measure.ts): a row of 0.05 ms otherwise times V8's and
  // WebAssembly's first tiers (mse at 1e5: 70 us after 2 warm-up runs, 56 us after 40)
  return { warmup: 2, reps: 11, warmupMs: 100 };
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
  for (const kind of ELEMENTWISE_KINDS) for (const n of config.elementwiseSizes) out.push(elementwiseWorkload(kind, n));
  out.push(softmaxWorkload(config.softmax.rows, config.softmax.cols));
  if (config.multi) {
    out.push(tripletWorkload(config.multi.triplet.rows, config.multi.triplet.cols));
    out.push(boxWorkload(config.multi.boxes));
    out.push(ctcWorkload(config.multi.ctc));
  }
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

/** What each elementwise workload is: its label, its data and its float64 term (the loss of one element). */
const ELEMENTWISE: Record<ElementwiseKind, { label: string; seed: number; data: 'regression' | 'probabilities' | 'logits'; term: (x: number, y: number) => number }> = {
  mse: { label: 'MSE', seed: 0, data: 'regression', term: (x, y) => (x - y) ** 2 },
  mae: { label: 'MAE', seed: 4, data: 'regression', term: (x, y) => Math.abs(x - y) },
  huber: { label: 'Huber (delta 1)', seed: 5, data: 'regression', term: (x, y) => smooth(Math.abs(x - y)) },
  smoothL1: { label: 'smooth L1', seed: 2, data: 'regression', term: (x, y) => smooth(Math.abs(x - y)) },
  logCosh: { label: 'log cosh', seed: 6, data: 'regression', term: (x, y) => Math.log(Math.cosh(x - y)) },
  bce: { label: 'BCE', seed: 1, data: 'probabilities', term: (p, y) => -(y * Math.max(Math.log(p), -100) + (1 - y) * Math.max(Math.log1p(-p), -100)) },
  bceLogits: { label: 'BCE with logits', seed: 7, data: 'logits', term: (x, y) => Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x))) },
};

/** Huber at delta 1 = smooth L1 at beta 1, of d = |x - y|. */
const smooth = (d: number) => (d < 1 ? 0.5 * d * d : d - 0.5);

/** An elementwise workload of `n` float32 elements from SEED, its reference the compensated float64 mean of its terms. */
function elementwiseWorkload(kind: ElementwiseKind, n: number): ElementwiseWorkload {
  const { label, seed, data, term } = ELEMENTWISE[kind];
  const rng = new Random(SEED + (seed + 1) * n + seed);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  if (data === 'regression') {
    for (let i = 0; i < n; i++) x[i] = rng.normal();
    for (let i = 0; i < n; i++) y[i] = rng.normal();
  } else {
    for (let i = 0; i < n; i++) x[i] = data === 'logits' ? 4 * rng.normal() : rng.uniform(0.001, 0.999);
    for (let i = 0; i < n; i++) y[i] = rng.uniform() < 0.5 ? 0 : 1;
  }
  const sum = new CompensatedSum();
  for (let i = 0; i < n; i++) sum.add(term(x[i]!, y[i]!));
  return { kind, id: `${kind}-${sizeLabel(n)}`, label: `${label} ${sizeLabel(n)}`, elements: n, x, y, reference: sum.value() / n };
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

function tripletWorkload(rows: number, cols: number): TripletWorkload {
  const rng = new Random(SEED + rows * cols + 11);
  const n = rows * cols;
  const anchor = new Float32Array(n);
  const positive = new Float32Array(n);
  const negative = new Float32Array(n);
  for (let i = 0; i < n; i++) anchor[i] = rng.normal();
  for (let i = 0; i < n; i++) positive[i] = anchor[i]! + rng.normal();
  for (let i = 0; i < n; i++) negative[i] = anchor[i]! + 1.05 * rng.normal();
  // l_r = max(0, 1 + ||a - p + eps|| - ||a - n + eps||), the squares and the rows compensated
  const distance = (x: Float32Array, y: Float32Array, o: number) => {
    const s = new CompensatedSum();
    for (let j = o; j < o + cols; j++) s.add((x[j]! - y[j]! + 1e-6) ** 2);
    return Math.sqrt(s.value());
  };
  const sum = new CompensatedSum();
  for (let r = 0; r < rows; r++) sum.add(Math.max(0, 1 + distance(anchor, positive, r * cols) - distance(anchor, negative, r * cols)));
  const id = `triplet-${rows}x${cols}`;
  return { kind: 'triplet', id, label: `triplet margin [${rows} x ${cols}]`, elements: 3 * n, rows, cols, anchor, positive, negative, reference: sum.value() / rows };
}

function boxWorkload(rows: number): BoxWorkload {
  const rng = new Random(SEED + rows + 13);
  const boxes1 = new Float32Array(4 * rows);
  const boxes2 = new Float32Array(4 * rows);
  for (let r = 0; r < rows; r++) {
    const x = rng.uniform(0, 100);
    const y = rng.uniform(0, 100);
    const w = rng.uniform(1, 20);
    const h = rng.uniform(1, 20);
    boxes1.set([x, y, x + w, y + h], 4 * r);
    const gx = x + rng.uniform(-5, 5);
    const gy = y + rng.uniform(-5, 5);
    boxes2.set([gx, gy, gx + w * rng.uniform(0.7, 1.4), gy + h * rng.uniform(0.7, 1.4)], 4 * r);
  }
  // torchvision's 1 - I/(U + eps) + (C - U)/(C + eps) in float64 on the float32 boxes, rows compensated
  const sum = new CompensatedSum();
  for (let o = 0; o < boxes1.length; o += 4) {
    const [x1, y1, x2, y2] = [boxes1[o]!, boxes1[o + 1]!, boxes1[o + 2]!, boxes1[o + 3]!];
    const [gx1, gy1, gx2, gy2] = [boxes2[o]!, boxes2[o + 1]!, boxes2[o + 2]!, boxes2[o + 3]!];
    const iw = Math.min(x2, gx2) - Math.max(x1, gx1);
    const ih = Math.min(y2, gy2) - Math.max(y1, gy1);
    const inter = iw > 0 && ih > 0 ? iw * ih : 0;
    const union = (x2 - x1) * (y2 - y1) + (gx2 - gx1) * (gy2 - gy1) - inter;
    const c = (Math.max(x2, gx2) - Math.min(x1, gx1)) * (Math.max(y2, gy2) - Math.min(y1, gy1));
    sum.add(1 - inter / (union + 1e-7) + (c - union) / (c + 1e-7));
  }
  const id = `giou-${sizeLabel(rows)}`;
  return { kind: 'giou', id, label: `GIoU ${sizeLabel(rows)} boxes`, elements: 4 * rows, rows, boxes1, boxes2, reference: sum.value() / rows };
}

function ctcWorkload({ T, N, C, S }: CtcSize): CtcWorkload {
  const rng = new Random(SEED + T * N * C + 17);
  const logProbs = new Float32Array(T * N * C);
  const z = new Float64Array(C);
  for (let o = 0; o < logProbs.length; o += C) {
    let m = -Infinity;
    for (let k = 0; k < C; k++) m = Math.max(m, (z[k] = rng.normal()));
    let s = 0;
    for (let k = 0; k < C; k++) s += Math.exp(z[k]! - m);
    for (let k = 0; k < C; k++) logProbs[o + k] = z[k]! - m - Math.log(s);
  }
  const targets = new Int32Array(N * S);
  for (let i = 0; i < targets.length; i++) targets[i] = 1 + rng.int(C - 1);
  const targetLengths = new Int32Array(N);
  const inputLengths = new Int32Array(N);
  for (let n = 0; n < N; n++) {
    targetLengths[n] = Math.ceil(S / 2) + rng.int(S - Math.ceil(S / 2) + 1);
    inputLengths[n] = T - rng.int(Math.floor(T / 4) + 1);
  }
  const sum = new CompensatedSum();
  for (let n = 0; n < N; n++) {
    const L = targetLengths[n]!;
    sum.add(ctcReference(logProbs, N, C, n, targets.subarray(n * S, n * S + L), inputLengths[n]!) / Math.max(L, 1));
  }
  const id = `ctc-${T}x${N}x${C}`;
  const label = `CTC [${T} x ${N} x ${C}], S ${S}`;
  return { kind: 'ctc', id, label, elements: T * N * C, T, N, C, S, logProbs, targets, inputLengths, targetLengths, reference: sum.value() / N };
}

/**
 * One sample's CTC loss in float64 by the textbook forward recursion in probability space,
 * rescaled every frame (Rabiner): independent of losslab's log-space kernel, and exact to ~1e-14
 * relative on these (not confident) inputs.
 */
function ctcReference(lp: Float32Array, N: number, C: number, n: number, labels: Int32Array, Ti: number): number {
  const ext = [0];
  for (const k of labels) ext.push(k, 0);
  const S = ext.length;
  let alpha = ext.map((k, s) => (s < 2 ? Math.exp(lp[n * C + k]!) : 0));
  let logScale = 0;
  for (let t = 1; t <= Ti; t++) {
    const total = alpha.reduce((a, b) => a + b, 0);
    logScale += Math.log(total);
    alpha = alpha.map((a) => a / total);
    if (t === Ti) break;
    const o = (t * N + n) * C;
    alpha = ext.map((k, s) => {
      const skip = s >= 2 && k !== 0 && k !== ext[s - 2];
      return Math.exp(lp[o + k]!) * (alpha[s]! + (s >= 1 ? alpha[s - 1]! : 0) + (skip ? alpha[s - 2]! : 0));
    });
  }
  return -(logScale + Math.log(alpha[S - 1]! + (S > 1 ? alpha[S - 2]! : 0)));
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
