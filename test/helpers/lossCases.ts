/**
 * One valid call for every loss the package exports, for the suites that hold every loss to the
 * same contract (test/hostile/): a 2 x 3 batch each, in the argument kinds the loss reads.
 * `kind` says what the input holds, so hostile suites can pick extreme inputs of the right domain.
 * A loss of several arguments lists them all in `args` (the first is its input, a 2 x 3 batch
 * unless `input` says otherwise) with their names in `argNames`.
 */
import * as losslab from '../../src';
import { flatten } from './close';

export type InputKind = 'values' | 'logits' | 'probabilities' | 'logProbabilities';

/** Any loss, called with its positional arguments then its options. */
export type AnyLoss = ((...args: unknown[]) => number | Float64Array) & {
  grad: (...args: unknown[]) => unknown;
  valueAndGrad: (...args: unknown[]) => { value: number | Float64Array; grad: unknown };
  lossName: string;
  defaults: Readonly<Record<string, unknown>>;
};

export interface LossCase {
  name: string;
  loss: AnyLoss;
  /** The first argument, the model output the hostile suites corrupt. */
  input: number[][];
  /** The second argument (two-argument losses; for others, `args[1]`). */
  target: unknown;
  /** Every positional argument, `input` first (two-argument losses: `[input, target]`). */
  args: unknown[];
  /** Their names, as error messages give them. */
  argNames: string[];
  /** How many arguments get a gradient (the first ones, in order). */
  gradients: number;
  options?: Record<string, unknown>;
  kind: InputKind;
  /** The target holds class indices (one per row), or other integers (lengths). */
  classTarget?: boolean;
  /** The loss reads rows (rank-0 input is rejected). */
  rowwise: boolean;
}

type CaseSpec = Omit<LossCase, 'loss' | 'args' | 'argNames' | 'gradients' | 'target'> & Partial<Pick<LossCase, 'args' | 'argNames' | 'gradients' | 'target'>>;

const x = [
  [0.5, -1.5, 2],
  [1, 0.25, -0.75],
];
const p = [
  [0.2, 0.3, 0.5],
  [0.6, 0.1, 0.3],
];
const oneHot = [
  [0, 0, 1],
  [1, 0, 0],
];
const binary = [
  [1, 0, 1],
  [0, 0, 1],
];
const pm = [
  [1, -1, 1],
  [-1, -1, 1],
];

/** Boxes (x1, y1, x2, y2), `[2, 4]`: the box losses' input is 4 wide, not 3. */
const boxes1 = [
  [0, 0, 2, 1],
  [1, -1, 1.5, 3],
];
const boxes2 = [
  [0.5, 0.25, 2.5, 1.5],
  [0, 0, 1, 1],
];

const cases: CaseSpec[] = [
  { name: 'mse', input: x, target: p, kind: 'values', rowwise: false },
  { name: 'mae', input: x, target: p, kind: 'values', rowwise: false },
  { name: 'rmse', input: x, target: p, kind: 'values', rowwise: false },
  { name: 'sse', input: x, target: p, kind: 'values', rowwise: false },
  { name: 'huber', input: x, target: p, kind: 'values', rowwise: false },
  // further elementwise losses (PyTorch, Keras)
  { name: 'smoothL1Loss', input: x, target: p, kind: 'values', rowwise: false },
  { name: 'logCosh', input: x, target: p, kind: 'values', rowwise: false },
  { name: 'mape', input: x, target: p, kind: 'values', rowwise: false },
  { name: 'msle', input: x, target: p, kind: 'values', rowwise: false },
  { name: 'poisson', input: p, target: binary, kind: 'probabilities', rowwise: false },
  { name: 'poissonNllLoss', input: x, target: binary, kind: 'logits', rowwise: false },
  { name: 'softMarginLoss', input: x, target: pm, kind: 'logits', rowwise: false },
  { name: 'hingeEmbeddingLoss', input: x, target: pm, kind: 'values', rowwise: false },
  // variance as its third argument (the same shape here), gradients for input and variance
  { name: 'gaussianNllLoss', input: x, args: [x, p, p], argNames: ['input', 'target', 'variance'], gradients: 2, kind: 'values', rowwise: false },
  { name: 'multiLabelSoftMarginLoss', input: x, target: binary, kind: 'logits', rowwise: true },
  { name: 'binaryFocalCrossEntropy', input: p, target: binary, kind: 'probabilities', rowwise: false },
  { name: 'binaryCrossEntropy', input: p, target: binary, kind: 'probabilities', rowwise: false },
  { name: 'binaryCrossEntropyWithLogits', input: x, target: binary, kind: 'logits', rowwise: false },
  { name: 'crossEntropy', input: x, target: [2, 0], kind: 'logits', classTarget: true, rowwise: true },
  { name: 'nllLoss', input: p.map((r) => r.map(Math.log)), target: [2, 0], kind: 'logProbabilities', classTarget: true, rowwise: true },
  { name: 'categoricalCrossEntropy', input: p, target: oneHot, kind: 'probabilities', rowwise: true },
  { name: 'sparseCategoricalCrossEntropy', input: p, target: [2, 0], kind: 'probabilities', classTarget: true, rowwise: true },
  { name: 'hinge', input: x, target: pm, kind: 'values', rowwise: true },
  { name: 'squaredHinge', input: x, target: pm, kind: 'values', rowwise: true },
  { name: 'categoricalHinge', input: x, target: oneHot, kind: 'values', rowwise: true },
  {
    name: 'klDivergence',
    input: p,
    target: [
      [0.3, 0.3, 0.4],
      [0.5, 0.25, 0.25],
    ],
    kind: 'probabilities',
    rowwise: true,
  },
  { name: 'diceLoss', input: p, target: binary, kind: 'probabilities', rowwise: true },
  { name: 'sigmoidFocalLoss', input: x, target: binary, kind: 'logits', rowwise: false },
  { name: 'focalLoss', input: x, target: [2, 0], kind: 'logits', classTarget: true, rowwise: true },
  // ranking, embedding, boxes: losses of several arguments
  { name: 'marginRankingLoss', input: x, args: [x, p, pm], argNames: ['input1', 'input2', 'target'], gradients: 2, kind: 'values', rowwise: false },
  { name: 'cosineEmbeddingLoss', input: x, args: [x, p, [1, -1]], argNames: ['input1', 'input2', 'target'], gradients: 2, kind: 'values', rowwise: true },
  { name: 'tripletMarginLoss', input: x, args: [x, p, oneHot], argNames: ['anchor', 'positive', 'negative'], gradients: 3, kind: 'values', rowwise: true },
  { name: 'generalizedBoxIouLoss', input: boxes1, args: [boxes1, boxes2], argNames: ['boxes1', 'boxes2'], kind: 'values', rowwise: true },
  { name: 'distanceBoxIouLoss', input: boxes1, args: [boxes1, boxes2], argNames: ['boxes1', 'boxes2'], kind: 'values', rowwise: true },
  { name: 'completeBoxIouLoss', input: boxes1, args: [boxes1, boxes2], argNames: ['boxes1', 'boxes2'], kind: 'values', rowwise: true },
  // ctcLoss unbatched: logProbs [T = 2, C = 3], the target "1", lengths as bare numbers; its batched
  // [T, N, C] form is held to the same rules in test/losses/ctcLoss.test.ts
  {
    name: 'ctcLoss',
    input: p.map((r) => r.map(Math.log)),
    args: [p.map((r) => r.map(Math.log)), [1], 2, 1],
    argNames: ['logProbs', 'targets', 'inputLengths', 'targetLengths'],
    kind: 'logProbabilities',
    classTarget: true,
    rowwise: true,
  },
  // class-wise losses of Keras, optax and PyTorch's margins; overlap and similarity
  { name: 'polyLoss', input: x, target: [2, 0], kind: 'logits', classTarget: true, rowwise: true },
  { name: 'categoricalFocalCrossEntropy', input: p, target: oneHot, kind: 'probabilities', rowwise: true },
  { name: 'generalizedCrossEntropy', input: p, target: [2, 0], kind: 'probabilities', classTarget: true, rowwise: true },
  { name: 'multiMarginLoss', input: x, target: [2, 0], kind: 'values', classTarget: true, rowwise: true },
  {
    name: 'multiLabelMarginLoss',
    input: x,
    target: [
      [2, 0, -1],
      [1, -1, 2],
    ],
    kind: 'values',
    rowwise: true,
  },
  { name: 'cosineSimilarity', input: x, target: p, kind: 'values', rowwise: true },
  { name: 'tversky', input: p, target: binary, kind: 'probabilities', rowwise: true },
];

/** Every export that is a loss (it has `lossName`), by name. */
export function exportedLosses(): Map<string, AnyLoss> {
  const out = new Map<string, AnyLoss>();
  for (const [name, value] of Object.entries(losslab)) {
    if (typeof value === 'function' && 'lossName' in value) out.set(name, value as unknown as AnyLoss);
  }
  return out;
}

/** The cases, each with its loss function. */
export function lossCases(): LossCase[] {
  const losses = exportedLosses();
  return cases.map((c) => {
    const loss = losses.get(c.name);
    if (!loss) throw new Error(`no exported loss ${c.name}`);
    const args = c.args ?? [c.input, c.target];
    return { ...c, loss, args, target: args[1], argNames: c.argNames ?? ['input', 'target'], gradients: c.gradients ?? 1 };
  });
}

/** The names of the cases, to check every exported loss has one. */
export const caseNames = cases.map((c) => c.name);

/** The case's arguments with the first (the input) replaced by `x`. */
export function withInput(c: LossCase, x: unknown): unknown[] {
  return [x, ...c.args.slice(1)];
}

/** The gradients of a `grad` result as flat arrays, one per differentiable argument. */
export function gradientsOf(c: LossCase, g: unknown): number[][] {
  const list = c.gradients > 1 ? (g as unknown[]) : [g];
  return list.map((x) => flatten(x));
}
