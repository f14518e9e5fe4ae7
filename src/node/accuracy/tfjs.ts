/**
 * The same accuracy cases through TensorFlow.js (its cpu backend, float32 throughout), for the
 * docs page's comparison column: tfjs's own loss where it has one, with tfjs's reductions, and
 * tf.grad for the gradient. Inputs are rounded to float32 on the way in, as any tfjs user's are;
 * the errors are measured against the same exact float64 reference. Null where tfjs has no
 * equivalent (the page shows '—').
 */
import * as tf from '@tensorflow/tfjs';
import { caseInput, isGenerated, materialize, type AccuracyCase } from './fixtures';
import { flatten, holdsProbabilities, pick } from './run';

export interface TfjsResult {
  /** The tfjs function used. */
  via: string;
  value?: number[];
  grad?: number[];
  error?: string;
}

let ready: Promise<void> | null = null;

/** Switches tfjs to its pure-JS cpu backend (production mode: no debug checks, no banner). */
export function useTfjsCpu(): Promise<void> {
  ready ??= (async () => {
    tf.enableProdMode();
    if (!(await tf.setBackend('cpu'))) throw new Error('tfjs: the cpu backend failed to initialise');
    await tf.ready();
  })();
  return ready;
}

interface Data {
  flat: number[];
  shape: number[];
}

function dataOf(v: unknown): Data {
  if (isGenerated(v)) return { flat: Array.from(v.data), shape: v.shape };
  if (typeof v === 'number') return { flat: [v], shape: [] };
  const flat = flatten(v);
  const shape = Array.isArray(v) && Array.isArray(v[0]) ? [v.length, (v[0] as unknown[]).length] : [flat.length];
  return { flat, shape };
}

const f32 = (d: Data) => tf.tensor(Float32Array.from(d.flat), d.shape, 'float32');

type Loss = (x: tf.Tensor) => tf.Tensor;

function reduction(o: Record<string, unknown>): 'mean' | 'sum' | 'none' {
  return (o.reduction as 'mean' | 'sum' | 'none' | undefined) ?? 'mean';
}

function tfReduction(r: 'mean' | 'sum' | 'none'): tf.Reduction {
  return r === 'none' ? tf.Reduction.NONE : r === 'sum' ? tf.Reduction.SUM : tf.Reduction.SUM_BY_NONZERO_WEIGHTS;
}

/** Per-sample losses (rank 1) reduced as the export reduces over samples. */
function overSamples(items: tf.Tensor, r: 'mean' | 'sum' | 'none'): tf.Tensor {
  return r === 'none' ? items : r === 'sum' ? tf.sum(items) : tf.mean(items);
}

/** tfjs's counterpart of the export on this case, or null. */
function counterpart(exportName: string, c: AccuracyCase, x: Data): { via: string; loss: Loss } | null {
  const o = c.options;
  const r = reduction(o);
  const t = c.target === undefined ? null : dataOf(materialize(c.target));
  const cols = x.shape[x.shape.length - 1]!;
  const as2d = (z: tf.Tensor) => (z.rank === 1 ? tf.reshape(z, [1, cols]) : z);
  const oneHot = (labels: number[]) => tf.oneHot(tf.tensor1d(Int32Array.from(labels), 'int32'), cols);
  switch (exportName) {
    case 'mse':
      return { via: 'tf.losses.meanSquaredError', loss: (z) => tf.losses.meanSquaredError(f32(t!), z, undefined, tfReduction(r)) };
    case 'mae':
      return { via: 'tf.losses.absoluteDifference', loss: (z) => tf.losses.absoluteDifference(f32(t!), z, undefined, tfReduction(r)) };
    case 'sse':
      return {
        via: 'tf.losses.meanSquaredError (Reduction.SUM / NONE)',
        loss: (z) => tf.mul(tf.losses.meanSquaredError(f32(t!), z, undefined, tfReduction((o.reduction as 'sum' | 'none' | undefined) ?? 'sum')), o.half ? 0.5 : 1),
      };
    case 'huber':
      return { via: 'tf.losses.huberLoss', loss: (z) => tf.losses.huberLoss(f32(t!), z, undefined, (o.delta as number | undefined) ?? 1, tfReduction(r)) };
    case 'binaryCrossEntropy': {
      const s = (o.labelSmoothing as number | undefined) ?? 0;
      const y = { flat: t!.flat.map((v) => v * (1 - s) + s / 2), shape: t!.shape };
      const w = o.weight === undefined ? undefined : dataOf(o.weight);
      return {
        via: 'tf.losses.logLoss (epsilon 0)',
        loss: (z) => {
          const l = tf.losses.logLoss(f32(y), z, w && f32(w), 0, w && r === 'mean' ? tf.Reduction.SUM : tfReduction(r));
          return w && r === 'mean' ? tf.div(l, x.flat.length) : l;
        },
      };
    }
    case 'binaryCrossEntropyWithLogits': {
      if (o.posWeight !== undefined) return null;
      const w = o.weight === undefined ? undefined : dataOf(o.weight);
      const s = (o.labelSmoothing as number | undefined) ?? 0;
      return {
        via: 'tf.losses.sigmoidCrossEntropy',
        loss: (z) => {
          const l = tf.losses.sigmoidCrossEntropy(f32(t!), z, w && f32(w), s, w && r === 'mean' ? tf.Reduction.SUM : tfReduction(r));
          return w && r === 'mean' ? tf.div(l, x.flat.length) : l;
        },
      };
    }
    case 'crossEntropy': {
      if (o.weight !== undefined) return null;
      const probs = holdsProbabilities(c);
      const ignore = (o.ignoreIndex as number | undefined) ?? -100;
      if (!probs && t!.flat.some((k) => k === ignore)) return null;
      const target = () => (probs ? as2d(f32(t!)) : oneHot(t!.flat));
      return {
        via: 'tf.losses.softmaxCrossEntropy',
        loss: (z) => tf.losses.softmaxCrossEntropy(target(), as2d(z), undefined, (o.labelSmoothing as number | undefined) ?? 0, tfReduction(r)),
      };
    }
    case 'categoricalCrossEntropy':
    case 'sparseCategoricalCrossEntropy': {
      const sparse = exportName === 'sparseCategoricalCrossEntropy';
      const s = (o.labelSmoothing as number | undefined) ?? 0;
      const target = () => (sparse ? oneHot(t!.flat) : as2d(f32(t!)));
      if (o.fromLogits) return { via: 'tf.losses.softmaxCrossEntropy', loss: (z) => tf.losses.softmaxCrossEntropy(target(), as2d(z), undefined, s, tfReduction(r)) };
      const smoothed = () => (s === 0 ? target() : tf.add(tf.mul(target(), 1 - s), s / cols));
      return { via: 'tf.metrics.categoricalCrossentropy (Keras)', loss: (z) => overSamples(tf.metrics.categoricalCrossentropy(smoothed(), as2d(z)), r) };
    }
    case 'hinge': {
      const zeroOne = t!.flat.some((v) => v === -1) ? t!.flat.map((v) => (v + 1) / 2) : t!.flat;
      const y = { flat: zeroOne, shape: t!.shape };
      return {
        via: 'tf.losses.hingeLoss',
        loss: (z) => (r === 'mean' ? tf.losses.hingeLoss(f32(y), z) : overSamples(tf.mean(as2d(tf.losses.hingeLoss(f32(y), z, undefined, tf.Reduction.NONE)), -1), r)),
      };
    }
    case 'softmax':
      return { via: 'tf.softmax', loss: (z) => tf.softmax(z) };
    case 'logSoftmax':
      return { via: 'tf.logSoftmax', loss: (z) => tf.logSoftmax(z) };
    case 'sigmoid':
      return { via: 'tf.sigmoid', loss: (z) => tf.sigmoid(z) };
    case 'logSumExp':
      return { via: 'tf.logSumExp', loss: (z) => tf.logSumExp(z, -1) };
    default:
      return null;
  }
}

/** The tfjs counterpart's value (and gradient, for losses) at the reference's indices; null where tfjs has none. Call useTfjsCpu first. */
export function runTfjs(exportName: string, c: AccuracyCase, valueOnly: boolean): TfjsResult | null {
  // tfjs has none of the losses of several arguments (ranking, triplet, Gaussian NLL, CTC)
  if (c.args) return null;
  const x = dataOf(caseInput(c));
  const m = counterpart(exportName, c, x);
  if (!m) return null;
  try {
    return tf.tidy(() => {
      const X = f32(x);
      const value = pick(Array.from(m.loss(X).dataSync()), c.reference.valueIndices);
      if (valueOnly) return { via: m.via, value };
      const g = tf.grad((z: tf.Tensor) => {
        const l = m.loss(z);
        return l.rank === 0 ? l : tf.sum(l);
      })(X);
      return { via: m.via, value, grad: pick(Array.from(g.dataSync()), c.reference.gradIndices) };
    });
  } catch (e) {
    return { via: m.via, error: (e as Error).message };
  }
}
