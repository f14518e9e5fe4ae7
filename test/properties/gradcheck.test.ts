import { describe, expect, it } from 'vitest';
import * as losslab from '../../src';

/**
 * Every loss's analytic gradient against central finite differences,
 * (f(x + h e_i) - f(x - h e_i)) / 2h with h = 1e-6, on random float64 inputs from a seeded
 * generator, kept away from kinks (|x - y| = 0 for mae, margins of 1 for the hinges,
 * |x - y| = delta for huber) and from clip boundaries (probabilities in [0.05, 0.95]).
 */
const H = 1e-6;
const TOL = 1e-6;
const TRIALS = 4;

type LossFn = ((input: unknown, target: unknown, options?: object) => number | Float64Array) & {
  grad: (input: unknown, target: unknown, options?: object) => { data: Float64Array; shape: number[] };
};

function lossNamed(name: string): LossFn {
  const f = (losslab as Record<string, unknown>)[name] as LossFn | undefined;
  expect(typeof f, `losslab export "${name}"`).toBe('function');
  expect(typeof f!.grad, `${name}.grad`).toBe('function');
  return f!;
}

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const uniform = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng();
const normal = (rng: Rng) => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
const fill = (n: number, f: (i: number) => number) => Float64Array.from({ length: n }, (_, i) => f(i));
const nested = (data: ArrayLike<number>, rows: number, cols: number) => Array.from({ length: rows }, (_, r) => Array.from(data).slice(r * cols, (r + 1) * cols));

/** A random problem: the input as a tensor, plus its target. */
interface Problem {
  input: Float64Array;
  shape: number[];
  target: unknown;
}

const N = 3;
const C = 4;

function classes(rng: Rng, n = N, c = C): number[] {
  return Array.from({ length: n }, () => Math.floor(rng() * c));
}

function oneHot(labels: number[], c = C): number[][] {
  return labels.map((k) => Array.from({ length: c }, (_, j) => (j === k ? 1 : 0)));
}

function probRows(rng: Rng, n = N, c = C): number[][] {
  return Array.from({ length: n }, () => {
    const row = Array.from({ length: c }, () => uniform(rng, 0.1, 1));
    const s = row.reduce((a, b) => a + b, 0);
    return row.map((v) => v / s);
  });
}

function signs(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => (rng() < 0.5 ? -1 : 1));
}

/** Regression pair with |x - y| away from every value in `avoid` by at least `gap`. */
function regression(rng: Rng, avoid: number[] = [0], gap = 1e-3): Problem {
  const y = fill(N * C, () => normal(rng));
  const x = fill(N * C, (i) => {
    for (;;) {
      const v = y[i]! + 2 * normal(rng);
      if (avoid.every((a) => Math.abs(Math.abs(v - y[i]!) - a) > gap)) return v;
    }
  });
  return { input: x, shape: [N, C], target: nested(y, N, C) };
}

/** Hinge scores whose margins 1 - y x stay away from 0. */
function hingeProblem(rng: Rng, zeroOne: boolean): Problem {
  const y = signs(rng, N * C);
  const x = fill(N * C, (i) => {
    for (;;) {
      const v = 1.5 * normal(rng);
      if (Math.abs(1 - y[i]! * v) > 1e-3) return v;
    }
  });
  const target = y.map((v) => (zeroOne ? (v + 1) / 2 : v));
  return { input: x, shape: [N, C], target: nested(target, N, C) };
}

/** Categorical hinge scores with no tie in max((1-y)x) and a margin away from the kink. */
function categoricalHingeProblem(rng: Rng): Problem {
  for (;;) {
    const labels = classes(rng);
    const x = fill(N * C, () => 1.5 * normal(rng));
    let ok = true;
    for (let r = 0; r < N && ok; r++) {
      const terms = Array.from({ length: C }, (_, j) => (j === labels[r] ? 0 : x[r * C + j]!)).sort((a, b) => b - a);
      const margin = terms[0]! - x[r * C + labels[r]!]! + 1;
      ok = terms[0]! - terms[1]! > 1e-3 && Math.abs(margin) > 1e-3;
    }
    if (ok) return { input: x, shape: [N, C], target: oneHot(labels) };
  }
}

const probabilities = (rng: Rng) => fill(N * C, () => uniform(rng, 0.05, 0.95));
const binaryTargets = (rng: Rng) =>
  nested(
    fill(N * C, () => (rng() < 0.5 ? 0 : 1)),
    N,
    C,
  );
const logits = (rng: Rng) => fill(N * C, () => 2 * normal(rng));
const positive = (rng: Rng) => fill(N * C, () => uniform(rng, 0.05, 0.95));

/** Multi-class margin scores whose violations margin - x_y + x_d all stay away from 0. */
function multiMarginProblem(rng: Rng, margin: number): Problem {
  for (;;) {
    const labels = classes(rng);
    const x = fill(N * C, () => normal(rng));
    const ok = labels.every((y, r) => Array.from({ length: C }, (_, d) => d).every((d) => d === y || Math.abs(margin - x[r * C + y]! + x[r * C + d]!) > 1e-3));
    if (ok) return { input: x, shape: [N, C], target: labels };
  }
}

/** Multi-label scores and class lists (padded with -1) whose violations 1 - x_j + x_d stay away from 0. */
function multiLabelProblem(rng: Rng): Problem {
  for (;;) {
    const x = fill(N * C, () => normal(rng));
    const lists = Array.from({ length: N }, () => {
      const listed = Array.from({ length: C }, (_, c) => c).filter(() => rng() < 0.5);
      return [...listed, ...Array.from({ length: C - listed.length }, () => -1)];
    });
    const ok = lists.every((list, r) =>
      list.every((j) => j < 0 || Array.from({ length: C }, (_, d) => d).every((d) => list.includes(d) || Math.abs(1 - x[r * C + j]! + x[r * C + d]!) > 1e-3)),
    );
    if (ok) return { input: x, shape: [N, C], target: lists };
  }
}

interface Entry {
  loss: string;
  options: object[];
  make: (rng: Rng) => Problem;
}

const reductions = [{}, { reduction: 'sum' }, { reduction: 'none' }];
const weightsOf = (rng: Rng, n: number) => Array.from({ length: n }, () => uniform(rng, 0.2, 2));
const wRng = prng(99);
const elementWeight = nested(weightsOf(wRng, N * C), N, C);
const classWeight = weightsOf(wRng, C);
const posWeight = weightsOf(wRng, C);

const table: Entry[] = [
  { loss: 'mse', options: reductions, make: (rng) => regression(rng) },
  { loss: 'mae', options: reductions, make: (rng) => regression(rng, [0]) },
  { loss: 'rmse', options: [{}], make: (rng) => regression(rng) },
  { loss: 'sse', options: [{}, { half: true }, { reduction: 'none' }], make: (rng) => regression(rng) },
  { loss: 'huber', options: [...reductions, { delta: 0.5 }, { delta: 2, reduction: 'sum' }], make: (rng) => regression(rng, [0.5, 1, 2]) },
  {
    loss: 'binaryCrossEntropy',
    options: [...reductions, { weight: elementWeight }, { labelSmoothing: 0.1 }],
    make: (rng) => ({ input: probabilities(rng), shape: [N, C], target: binaryTargets(rng) }),
  },
  {
    loss: 'binaryCrossEntropyWithLogits',
    options: [...reductions, { weight: elementWeight }, { posWeight }, { posWeight, weight: elementWeight, labelSmoothing: 0.2 }],
    make: (rng) => ({ input: logits(rng), shape: [N, C], target: binaryTargets(rng) }),
  },
  {
    loss: 'crossEntropy',
    options: [...reductions, { weight: classWeight }, { labelSmoothing: 0.1 }, { weight: classWeight, labelSmoothing: 0.2 }],
    make: (rng) => ({ input: logits(rng), shape: [N, C], target: classes(rng) }),
  },
  {
    loss: 'crossEntropy',
    options: [{}, { weight: classWeight, labelSmoothing: 0.1 }],
    make: (rng) => ({ input: logits(rng), shape: [N, C], target: probRows(rng) }),
  },
  {
    loss: 'nllLoss',
    options: [...reductions, { weight: classWeight }],
    make: (rng) => ({ input: logits(rng).map((v) => -Math.abs(v)), shape: [N, C], target: classes(rng) }),
  },
  {
    loss: 'categoricalCrossEntropy',
    options: [...reductions, { labelSmoothing: 0.1 }],
    make: (rng) => ({ input: positive(rng), shape: [N, C], target: probRows(rng) }),
  },
  {
    loss: 'categoricalCrossEntropy',
    options: [{ fromLogits: true }, { fromLogits: true, labelSmoothing: 0.2, reduction: 'sum' }],
    make: (rng) => ({ input: logits(rng), shape: [N, C], target: oneHot(classes(rng)) }),
  },
  {
    loss: 'sparseCategoricalCrossEntropy',
    options: [...reductions],
    make: (rng) => ({ input: positive(rng), shape: [N, C], target: classes(rng) }),
  },
  {
    loss: 'sparseCategoricalCrossEntropy',
    options: [{ fromLogits: true }, { fromLogits: true, reduction: 'none' }],
    make: (rng) => ({ input: logits(rng), shape: [N, C], target: classes(rng) }),
  },
  { loss: 'hinge', options: reductions, make: (rng) => hingeProblem(rng, false) },
  { loss: 'hinge', options: [{}], make: (rng) => hingeProblem(rng, true) },
  { loss: 'squaredHinge', options: reductions, make: (rng) => hingeProblem(rng, false) },
  { loss: 'categoricalHinge', options: reductions, make: categoricalHingeProblem },
  {
    loss: 'klDivergence',
    options: [{}, { reduction: 'sum' }, { reduction: 'mean' }, { reduction: 'none' }],
    make: (rng) => ({ input: Float64Array.from(probRows(rng).flat()), shape: [N, C], target: probRows(rng) }),
  },
  {
    loss: 'diceLoss',
    options: [...reductions, { smooth: 0 }, { smooth: 0.5 }],
    make: (rng) => ({ input: probabilities(rng), shape: [N, C], target: binaryTargets(rng) }),
  },
  {
    loss: 'sigmoidFocalLoss',
    options: [...reductions, { gamma: 0 }, { alpha: -1 }, { alpha: 0.5, gamma: 1.5 }, { gamma: 0.5 }],
    make: (rng) => ({ input: logits(rng), shape: [N, C], target: binaryTargets(rng) }),
  },
  {
    loss: 'focalLoss',
    options: [...reductions, { gamma: 0 }, { gamma: 0.5 }, { gamma: 3, alpha: classWeight }],
    make: (rng) => ({ input: logits(rng), shape: [N, C], target: classes(rng) }),
  },
  // class-wise losses (Keras, optax, PyTorch margins), overlap, similarity
  {
    loss: 'polyLoss',
    options: [...reductions, { epsilon: 0 }, { epsilon: -1 }, { epsilon: 5.5 }],
    make: (rng) => ({ input: logits(rng), shape: [N, C], target: classes(rng) }),
  },
  {
    loss: 'polyLoss',
    options: [{}, { epsilon: -0.5, reduction: 'none' }],
    make: (rng) => ({ input: logits(rng), shape: [N, C], target: probRows(rng) }),
  },
  {
    loss: 'categoricalFocalCrossEntropy',
    options: [...reductions, { gamma: 0, alpha: 1 }, { gamma: 0.5, alpha: classWeight }, { gamma: 3, labelSmoothing: 0.1 }],
    make: (rng) => ({ input: positive(rng), shape: [N, C], target: probRows(rng) }),
  },
  {
    // logits of moderate size: no softmax output reaches the clip at 1e-7
    loss: 'categoricalFocalCrossEntropy',
    options: [{ fromLogits: true }, { fromLogits: true, gamma: 0.5, labelSmoothing: 0.2, reduction: 'sum' }],
    make: (rng) => ({ input: logits(rng).map((v) => v / 2), shape: [N, C], target: oneHot(classes(rng)) }),
  },
  {
    loss: 'generalizedCrossEntropy',
    options: [...reductions, { q: 0.1 }, { q: 0.9 }],
    make: (rng) => ({ input: positive(rng), shape: [N, C], target: classes(rng) }),
  },
  { loss: 'multiMarginLoss', options: [...reductions, { p: 2 }, { p: 2, weight: classWeight, reduction: 'sum' }], make: (rng) => multiMarginProblem(rng, 1) },
  { loss: 'multiMarginLoss', options: [{ margin: 0.5, weight: classWeight }], make: (rng) => multiMarginProblem(rng, 0.5) },
  { loss: 'multiLabelMarginLoss', options: reductions, make: multiLabelProblem },
  { loss: 'cosineSimilarity', options: reductions, make: (rng) => regression(rng) },
  {
    loss: 'tversky',
    options: [...reductions, { alpha: 0.3, beta: 0.7 }, { smooth: 0 }, { alpha: 1, beta: 1, smooth: 2 }],
    make: (rng) => ({ input: probabilities(rng), shape: [N, C], target: binaryTargets(rng) }),
  },
  {
    loss: 'tversky',
    options: [{ alpha: 0.6, beta: 0.2 }],
    make: (rng) => ({ input: probabilities(rng), shape: [N, C], target: nested(probabilities(rng), N, C) }),
  },
];

/** The loss as a number: the reduced value, or the sum of the items for 'none'. */
function scalar(f: LossFn, input: Float64Array, shape: number[], target: unknown, options: object): number {
  const v = f({ data: input, shape }, target, options);
  return typeof v === 'number' ? v : v.reduce((a, b) => a + b, 0);
}

function numericGrad(f: LossFn, p: Problem, options: object): Float64Array {
  const g = new Float64Array(p.input.length);
  for (let i = 0; i < p.input.length; i++) {
    const x = Float64Array.from(p.input);
    x[i] = p.input[i]! + H;
    const up = scalar(f, x, p.shape, p.target, options);
    x[i] = p.input[i]! - H;
    const down = scalar(f, x, p.shape, p.target, options);
    g[i] = (up - down) / (2 * H);
  }
  return g;
}

let seed = 1;
for (const entry of table) {
  describe(`${entry.loss} gradient`, () => {
    for (const options of entry.options) {
      const caseSeed = seed++;
      it(`${entry.loss} — analytic gradient matches central differences with ${JSON.stringify(options)} (seed ${caseSeed})`, () => {
        const f = lossNamed(entry.loss);
        const rng = prng(caseSeed);
        for (let trial = 0; trial < TRIALS; trial++) {
          const p = entry.make(rng);
          const analytic = f.grad({ data: p.input, shape: p.shape }, p.target, options).data;
          const numeric = numericGrad(f, p, options);
          for (let i = 0; i < numeric.length; i++) {
            const err = Math.abs(analytic[i]! - numeric[i]!);
            const bound = TOL * Math.max(1, Math.abs(numeric[i]!));
            if (!(err <= bound)) {
              expect.fail(
                `trial ${trial}, element ${i}: analytic ${analytic[i]}, numeric ${numeric[i]} (|diff| ${err} > ${bound}); input ${JSON.stringify(Array.from(p.input))}, target ${JSON.stringify(p.target)}`,
              );
            }
          }
        }
      });
    }
  });
}
