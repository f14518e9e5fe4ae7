import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { measure, type Repetitions, type Result } from './measure';
import { isElementwise, type ElementwiseKind, type ElementwiseWorkload, type MnistWorkload, type SoftmaxWorkload, type Workload } from './workloads';

export type TfjsBackend = 'cpu' | 'wasm';

/**
 * Switches TensorFlow.js to `backend`: the pure-JS `cpu` backend, or `wasm` loading its
 * binaries from node_modules/@tensorflow/tfjs-backend-wasm/dist/ (single-threaded).
 * Production mode drops tfjs's debug checks and its "use tfjs-node" banner.
 */
export async function useTfjs(backend: TfjsBackend): Promise<void> {
  tf.enableProdMode();
  if (backend === 'wasm') {
    const pkg = createRequire(join(process.cwd(), 'index.js')).resolve('@tensorflow/tfjs-backend-wasm/package.json');
    setWasmPaths(join(dirname(pkg), 'dist') + '/');
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs: backend ${backend} failed to initialise`);
  await tf.ready();
}

/** One workload on the current backend; every run computes the value and d loss / d input. */
export function benchTfjs(w: Workload, system: string, reps: Repetitions): Result {
  if (w.kind === 'triplet' || w.kind === 'giou' || w.kind === 'ctc') return missing(w, system);
  if (isElementwise(w)) return elementwise(w, system, reps);
  if (w.kind === 'softmax-ce') return softmax(w, system, reps);
  return mnist(w, system, reps);
}

/** TensorFlow.js has no triplet margin loss, no box IoU loss and no CTC loss: a row of '—'. */
function missing(w: Workload, system: string): Result {
  const loss = w.kind === 'triplet' ? 'triplet margin loss' : w.kind === 'ctc' ? 'CTC loss' : 'generalized IoU loss';
  const timing = { medianMs: NaN, minMs: NaN, samplesMs: [], warmup: 0, reps: 0 };
  return { workload: w.id, system, timing, value: null, missing: `TensorFlow.js has no ${loss}` };
}

/** Runs `vg(x)` in a tidy scope and returns the value; the gradient is computed, then freed. */
function timeValueAndGrad(vg: (x: tf.Tensor) => { value: tf.Scalar; grad: tf.Tensor }, x: tf.Tensor, reps: Repetitions) {
  return measure(
    () =>
      tf.tidy(() => {
        const { value } = vg(x);
        return value.dataSync()[0]!;
      }),
    reps,
  );
}

function elementwise(w: ElementwiseWorkload, system: string, reps: Repetitions): Result {
  const x = tf.tensor1d(w.x);
  const y = tf.tensor1d(w.y);
  const loss = elementwiseLoss(w.kind, y);
  const { timing, last } = timeValueAndGrad(tf.valueAndGrad(loss), x, reps);
  tf.dispose([x, y]);
  return { workload: w.id, system, timing, value: last };
}

/**
 * Each elementwise loss in tfjs, mean over the elements: its own op where it has one (huberLoss at
 * delta 1 is also smooth L1 at beta 1, absoluteDifference is MAE, sigmoidCrossEntropy is BCE with
 * logits), else from ops: BCE as PyTorch defines it (log clamped at -100, which never binds on
 * these inputs), log cosh as Keras's d + softplus(-2d) - log 2.
 */
function elementwiseLoss(kind: ElementwiseKind, y: tf.Tensor): (p: tf.Tensor) => tf.Scalar {
  switch (kind) {
    case 'mse':
      return (p) => tf.mean<tf.Scalar>(tf.squaredDifference(p, y));
    case 'mae':
      return (p) => tf.losses.absoluteDifference<tf.Tensor, tf.Scalar>(y, p);
    case 'huber':
    case 'smoothL1':
      return (p) => tf.losses.huberLoss<tf.Tensor, tf.Scalar>(y, p, undefined, 1);
    case 'logCosh':
      return (p) => {
        const d = tf.sub(p, y);
        return tf.mean<tf.Scalar>(tf.sub(tf.add(d, tf.softplus(tf.mul(-2, d))), Math.LN2));
      };
    case 'bce':
      return (p) => {
        const logP = tf.maximum(tf.log(p), -100);
        const logQ = tf.maximum(tf.log(tf.sub(1, p)), -100);
        return tf.neg(tf.mean(tf.add(tf.mul(y, logP), tf.mul(tf.sub(1, y), logQ)))) as tf.Scalar;
      };
    case 'bceLogits':
      return (p) => tf.losses.sigmoidCrossEntropy<tf.Tensor, tf.Scalar>(y, p);
  }
}

function softmax(w: SoftmaxWorkload, system: string, reps: Repetitions): Result {
  const logits = tf.tensor2d(w.logits, [w.rows, w.cols]);
  const labels = tf.tensor1d(w.labels, 'int32');
  // tfjs has no sparse softmax cross-entropy: the integer targets go through oneHot in each run
  const loss = (z: tf.Tensor) => tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(tf.oneHot(labels, w.cols), z);
  const { timing, last } = timeValueAndGrad(tf.valueAndGrad(loss), logits, reps);
  tf.dispose([logits, labels]);
  return { workload: w.id, system, timing, value: last };
}

function mnist(w: MnistWorkload, system: string, reps: Repetitions): Result {
  const d = w.data;
  const images = tf.tensor2d(d.train.images, [d.train.count, 784]);
  const labels = tf.tensor1d(Int32Array.from(d.train.labels), 'int32');
  // nn.Linear keeps W as [out, in]; x W^T with W^T stored as [784, 10]
  const initW = tf.transpose(tf.tensor2d(d.initWeight, [10, 784]));
  const initB = tf.tensor1d(d.initBias);
  const W = tf.variable(initW.clone());
  const b = tf.variable(initB.clone());
  const sgd = tf.train.sgd(d.lr);
  const bs = d.batchSize;
  const epoch = (perm: Int32Array): number => {
    let total = 0;
    let batches = 0;
    for (let start = 0; start < d.train.count; start += bs) {
      const idx = perm.subarray(start, Math.min(start + bs, d.train.count));
      total += tf.tidy(() => {
        const rows = tf.tensor1d(idx, 'int32');
        const x = tf.gather(images, rows);
        const y = tf.oneHot(tf.gather(labels, rows), 10);
        const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy<tf.Tensor, tf.Scalar>(y, tf.add(tf.matMul(x, W), b)));
        sgd.applyGradients(grads);
        return value.dataSync()[0]!;
      });
      batches++;
    }
    return total / batches;
  };
  const { timing, last } = measure(() => {
    W.assign(initW);
    b.assign(initB);
    let loss = 0;
    for (let e = 0; e < w.epochs; e++) loss = epoch(d.perms[e]!);
    return loss;
  }, reps);
  const accuracy = w.kind === 'mnist-full' ? testAccuracy(w, W, b) : undefined;
  tf.dispose([images, labels, initW, initB, W, b]);
  sgd.dispose();
  return { workload: w.id, system, timing, value: last, accuracy };
}

function testAccuracy(w: MnistWorkload, W: tf.Variable, b: tf.Variable): number {
  const { images, labels, count } = w.data.test;
  return tf.tidy(() => {
    const x = tf.tensor2d(images, [count, 784]);
    const predicted = tf.argMax(tf.add(tf.matMul(x, W), b), 1);
    const correct = tf.sum(tf.cast(tf.equal(predicted, tf.tensor1d(Int32Array.from(labels), 'int32')), 'float32'));
    return correct.dataSync()[0]! / count;
  });
}
