import { binaryCrossEntropy } from '../../core/losses/binaryCrossEntropy';
import { binaryCrossEntropyWithLogits } from '../../core/losses/binaryCrossEntropyWithLogits';
import { crossEntropy } from '../../core/losses/crossEntropy';
import { ctcLoss } from '../../core/losses/ctcLoss';
import { generalizedBoxIouLoss } from '../../core/losses/generalizedBoxIouLoss';
import { huber } from '../../core/losses/huber';
import { logCosh } from '../../core/losses/logCosh';
import { mae } from '../../core/losses/mae';
import { tripletMarginLoss } from '../../core/losses/tripletMarginLoss';
import { mse } from '../../core/losses/mse';
import { kernelArrays } from '../../core/math/kernelArrays';
import { smoothL1Loss } from '../../core/losses/smoothL1Loss';
import type { Loss, ReductionOptions } from '../../core/losses/defineLoss';
import type { Values } from '../../core/tensor/types';
import { gatherRows } from '../../core/training/batches';
import { Linear } from '../../core/training/linear';
import { SGD } from '../../core/training/sgd';
import { measure, type Repetitions, type Result } from './measure';
import {
  isElementwise,
  type BoxWorkload,
  type CtcWorkload,
  type ElementwiseKind,
  type ElementwiseWorkload,
  type MnistData,
  type MnistWorkload,
  type SoftmaxWorkload,
  type TripletWorkload,
  type Workload,
} from './workloads';

/**
 * losslab on the typed-array path: `{ data, shape }` tensors over the float32 inputs and a
 * preallocated `out` buffer for the gradient, so a timed run allocates no arrays.
 */
export function benchLosslab(w: Workload, reps: Repetitions): Result {
  if (isElementwise(w)) return elementwise(w, reps);
  if (w.kind === 'softmax-ce') return softmax(w, reps);
  if (w.kind === 'triplet') return triplet(w, reps);
  if (w.kind === 'giou') return giou(w, reps);
  if (w.kind === 'ctc') return ctc(w, reps);
  return mnist(w, reps);
}

/** The loss of each elementwise workload, at its default options (huber's delta and smoothL1Loss's beta are 1). */
const ELEMENTWISE_LOSSES: Record<ElementwiseKind, Loss<Values, ReductionOptions>> = {
  mse,
  mae,
  huber,
  smoothL1: smoothL1Loss,
  logCosh,
  bce: binaryCrossEntropy,
  bceLogits: binaryCrossEntropyWithLogits,
};

/**
 * The arrays of an elementwise row live in the kernels' memory (kernelArrays), filled once before
 * the timed runs as tfjs's and torch's tensors are: the WebAssembly blocks then read and write
 * them in place, where ordinary arrays cost a copy into that memory and back per call.
 */
function elementwise(w: ElementwiseWorkload, reps: Repetitions): Result {
  const loss = ELEMENTWISE_LOSSES[w.kind];
  const [x, y, out] = kernelArrays(w.elements, 3) as [Float32Array, Float32Array, Float32Array];
  x.set(w.x);
  y.set(w.y);
  const input = { data: x, shape: [w.elements] };
  const target = { data: y, shape: [w.elements] };
  const options = { out };
  const { timing, last } = measure(() => loss.valueAndGrad(input, target, options).value as number, reps);
  return { workload: w.id, system: 'losslab', timing, value: last };
}

function softmax(w: SoftmaxWorkload, reps: Repetitions): Result {
  const input = { data: w.logits, shape: [w.rows, w.cols] };
  const options = { out: new Float32Array(w.elements) };
  const { timing, last } = measure(() => crossEntropy.valueAndGrad(input, w.labels, options).value as number, reps);
  return { workload: w.id, system: 'losslab', timing, value: last };
}

/** As the elementwise rows, the three inputs and gradients live in the kernels' memory (kernelArrays), filled once. */
function triplet(w: TripletWorkload, reps: Repetitions): Result {
  const shape = [w.rows, w.cols];
  const [a, p, n, ...out] = kernelArrays(w.rows * w.cols, 6) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
  a.set(w.anchor);
  p.set(w.positive);
  n.set(w.negative);
  const options = { out };
  const { timing, last } = measure(() => tripletMarginLoss.valueAndGrad({ data: a, shape }, { data: p, shape }, { data: n, shape }, options).value as number, reps);
  return { workload: w.id, system: 'losslab', timing, value: last };
}

function giou(w: BoxWorkload, reps: Repetitions): Result {
  const b1 = { data: w.boxes1, shape: [w.rows, 4] };
  const b2 = { data: w.boxes2, shape: [w.rows, 4] };
  const options = { out: new Float32Array(4 * w.rows) };
  const { timing, last } = measure(() => generalizedBoxIouLoss.valueAndGrad(b1, b2, options).value as number, reps);
  return { workload: w.id, system: 'losslab', timing, value: last };
}

function ctc(w: CtcWorkload, reps: Repetitions): Result {
  const logProbs = { data: w.logProbs, shape: [w.T, w.N, w.C] };
  const targets = { data: w.targets, shape: [w.N, w.S] };
  const options = { out: new Float32Array(w.elements) };
  const { timing, last } = measure(() => ctcLoss.valueAndGrad(logProbs, targets, w.inputLengths, w.targetLengths, options).value as number, reps);
  return { workload: w.id, system: 'losslab', timing, value: last };
}

function mnist(w: MnistWorkload, reps: Repetitions): Result {
  const trainer = new Trainer(w.data);
  const { timing, last } = measure(() => {
    trainer.reset();
    let loss = 0;
    for (let e = 0; e < w.epochs; e++) loss = trainer.epoch(w.data.perms[e]!);
    return loss;
  }, reps);
  const accuracy = w.kind === 'mnist-full' ? trainer.accuracy() : undefined;
  return { workload: w.id, system: 'losslab', timing, value: last, accuracy };
}

/** The notebook's loop with Linear, crossEntropy and SGD, every buffer allocated once. */
class Trainer {
  readonly layer = new Linear(784, 10, 0);
  readonly sgd: SGD;
  private readonly xb: Float32Array;
  private readonly yb: Uint8Array;
  private readonly logits: Float64Array;
  private readonly grad: Float64Array;

  constructor(readonly data: MnistData) {
    this.sgd = new SGD(this.layer.parameters(), { lr: data.lr });
    this.xb = new Float32Array(data.batchSize * 784);
    this.yb = new Uint8Array(data.batchSize);
    this.logits = new Float64Array(data.batchSize * 10);
    this.grad = new Float64Array(data.batchSize * 10);
  }

  reset(): void {
    this.layer.weight.set(this.data.initWeight);
    this.layer.bias.set(this.data.initBias);
  }

  /** One pass over the training rows in `perm` order; returns the mean batch loss. */
  epoch(perm: Int32Array): number {
    const { images, labels, count } = this.data.train;
    const bs = this.data.batchSize;
    let total = 0;
    let batches = 0;
    for (let start = 0; start < count; start += bs) {
      const idx = perm.subarray(start, Math.min(start + bs, count));
      const n = idx.length;
      const x = { data: gatherRows(images, 784, idx, this.xb), shape: [n, 784] };
      const y = gatherRows(labels, 1, idx, this.yb);
      const full = n === bs;
      const logits = this.layer.forward(x, full ? this.logits : this.logits.subarray(0, n * 10));
      const grad = full ? this.grad : this.grad.subarray(0, n * 10);
      total += crossEntropy.valueAndGrad(logits, y, { out: grad }).value as number;
      this.sgd.zeroGrad();
      this.layer.backward(x, { data: grad, shape: [n, 10] });
      this.sgd.step();
      batches++;
    }
    return total / batches;
  }

  /** Test accuracy: argmax of the logits, 1000 rows at a time. */
  accuracy(): number {
    const { images, labels, count } = this.data.test;
    const chunk = 1000;
    let correct = 0;
    for (let start = 0; start < count; start += chunk) {
      const n = Math.min(chunk, count - start);
      const z = this.layer.forward({ data: images.subarray(start * 784, (start + n) * 784), shape: [n, 784] }).data;
      for (let r = 0; r < n; r++) {
        let best = 0;
        for (let c = 1; c < 10; c++) if (z[r * 10 + c]! > z[r * 10 + best]!) best = c;
        if (best === labels[start + r]) correct++;
      }
    }
    return correct / count;
  }
}
