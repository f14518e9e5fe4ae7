/**
 * Numbers a hostile caller sends, held for every exported loss and helper: NaN and ±Infinity in
 * any argument are rejected naming the argument and the index; extreme but finite inputs give a
 * finite value and a finite gradient or a LossInputError, never NaN or ±Infinity; rank-0 tensors
 * are one element for elementwise losses and rejected by class-wise ones; class indices and
 * ignoreIndex beyond int32 are rejected rather than wrapped.
 */
import { describe, expect, it } from 'vitest';
import {
  categoricalCrossEntropy,
  crossEntropy,
  gaussianNllLoss,
  klDivergence,
  entropy,
  focalLoss,
  LossInputError,
  logSoftmax,
  logSumExp,
  nllLoss,
  sigmoid,
  softmax,
  sparseCategoricalCrossEntropy,
  diceLoss,
  huber,
  sigmoidFocalLoss,
} from '../../src';
import { flatten } from '../helpers/close';
import { gradientsOf, lossCases, withInput, type InputKind, type LossCase } from '../helpers/lossCases';

const tensor = (rows: number[][], Kind: typeof Float64Array | typeof Float32Array = Float64Array) => ({ data: Kind.from(rows.flat()), shape: [rows.length, rows[0]!.length] });

/** Extreme finite values of each kind of input. */
const EXTREMES: Record<InputKind, number[]> = {
  values: [1e300, -1e300, 1.7e308, 1e-320, -5e-324, 1e154],
  logits: [1e300, -1e300, 745, -745, 740, -740, 1e16, 37],
  probabilities: [0, 1, 1e-320, 5e-324, 1 - 2 ** -53, 2 ** -1074 * 3],
  logProbabilities: [-1e300, -745, -1e-320, 0, -1.7e308],
};

/** Runs a call that must either give finite numbers or throw a LossInputError. */
function finiteOrRejected(what: string, call: () => unknown): 'finite' | 'rejected' {
  let result: unknown;
  try {
    result = call();
  } catch (e) {
    expect(e, `${what} threw ${String(e)}`).toBeInstanceOf(LossInputError);
    return 'rejected';
  }
  const numbers = flatten(result);
  const bad = numbers.findIndex((v) => !Number.isFinite(v));
  expect(bad, `${what} returned ${numbers[bad]} at ${bad}`).toBe(-1);
  return 'finite';
}

function extremeInputs(c: LossCase): number[][][] {
  const [a, b] = [c.input[0]!, c.input[1]!];
  return EXTREMES[c.kind].flatMap((v) => [
    [a.map(() => v), b],
    [
      [v, ...a.slice(1)],
      [...b.slice(0, -1), c.kind === 'probabilities' ? 1 - v : -v],
    ],
  ]);
}

describe.each(lossCases())('$name with hostile numbers', (c) => {
  const { loss, input, target, options } = c;
  const fn = loss.lossName;
  const [inputName, targetName] = c.argNames;

  it.each([NaN, Infinity, -Infinity])('rejects %s in the input, as nested arrays and typed tensors', (bad) => {
    const rows = input.map((r) => r.slice());
    rows[1]![1] = bad;
    for (const x of [rows, tensor(rows), tensor(rows, Float32Array)]) {
      const pattern = new RegExp(`^${fn}: ${inputName}\\[(1\\]\\[1|${input[0]!.length + 1})\\] must be a finite number, got ${String(bad).replace('+', '')}$`);
      expect(() => loss(...withInput(c, x), options)).toThrow(pattern);
      expect(() => loss.grad(...withInput(c, x), options)).toThrow(pattern);
    }
  });

  it('rejects ±Infinity in the second argument', () => {
    const rest = c.args.slice(2);
    if (c.classTarget) {
      const bad: unknown = Array.isArray(target) ? (target as unknown[]).map((v, i) => (i === 0 ? Infinity : v)) : Infinity;
      expect(() => loss(input, bad, ...rest, options)).toThrow(`${fn}: ${targetName}`);
      return;
    }
    for (const bad of [Infinity, -Infinity, NaN]) {
      const t = (target as number[][]).map((r) => r.slice());
      t[0]![2] = bad;
      expect(() => loss(input, t, ...rest, options)).toThrow(new RegExp(`^${fn}: ${targetName}\\[0\\]\\[2\\] must be a finite number`));
      expect(() => loss(tensor(input), tensor(t), ...rest, options)).toThrow(new RegExp(`^${fn}: ${targetName}\\[2\\] must be a finite number`));
    }
  });

  it('gives finite values and gradients, or a clear error, on extreme finite inputs', () => {
    const sizes = gradientsOf(c, loss.grad(...c.args, options)).map((g) => g.length);
    let finite = 0;
    for (const x of extremeInputs(c)) {
      for (const reduction of ['mean', 'none']) {
        const opts = fn === 'rmse' ? options : { ...options, reduction };
        const what = `${fn}(${JSON.stringify(x)}, ${reduction})`;
        if (finiteOrRejected(what, () => loss(...withInput(c, x), opts)) === 'finite') finite++;
        finiteOrRejected(`${what}.grad`, () => loss.grad(...withInput(c, x), opts));
        finiteOrRejected(`${what}.grad float32`, () => loss.grad(...withInput(c, tensor(x, Float32Array)), opts));
        // a float64 gradient beyond 3.4e38 that a Float32Array out would hold as ±Infinity is named, never stored silently
        const out = sizes.map((n) => new Float32Array(n));
        finiteOrRejected(`${what}.grad into Float32Array`, () => loss.grad(...withInput(c, x), { ...opts, out: c.gradients > 1 ? out : out[0] }));
      }
    }
    expect(finite, 'most extreme inputs have a finite loss').toBeGreaterThan(0);
  });

  it(c.rowwise ? 'rejects a rank-0 input' : 'reads a rank-0 input as one element, as PyTorch', () => {
    const isBatch = (a: unknown): a is number[][] => Array.isArray(a) && Array.isArray(a[0]);
    const scalar = (a: unknown) => (isBatch(a) ? { data: new Float64Array([a[0]![0]!]), shape: [] as number[] } : a);
    const single = (a: unknown) => (isBatch(a) ? [a[0]![0]!] : a);
    if (c.rowwise) {
      expect(() => loss(scalar(input), c.classTarget ? 0 : scalar(target), ...c.args.slice(2), options)).toThrow(`${fn}: ${inputName} shape must be`);
      return;
    }
    expect(loss(...c.args.map(scalar), options)).toBe(loss(...c.args.map(single), options));
    const g = loss.grad(...c.args.map(scalar), options);
    const first = (c.gradients > 1 ? (g as unknown[])[0] : g) as { data: Float64Array; shape: number[] };
    expect(first.shape).toEqual([]);
    const reference = loss.grad(...c.args.map(single), options);
    expect(Array.from(first.data)).toEqual(c.gradients > 1 ? (reference as number[][])[0] : reference);
  });
});

describe('extreme options give finite numbers or a clear error', () => {
  const logits = [
    [740, -740, 0],
    [-740, 740, 1e-3],
  ];
  it.each([
    ['diceLoss smooth 1e-200', () => diceLoss.grad([[1e-300, 0, 0]], [[0, 0, 0]], { smooth: 1e-200 })],
    ['diceLoss smooth 1e-200, value', () => diceLoss([[1e-300, 0, 0]], [[0, 0, 0]], { smooth: 1e-200 })],
    ['focalLoss gamma 0.01 at logits near ±740', () => focalLoss.grad(logits, [0, 0], { gamma: 0.01 })],
    ['focalLoss gamma 0.01 value', () => focalLoss(logits, [0, 1], { gamma: 0.01, reduction: 'none' })],
    ['sigmoidFocalLoss gamma 0.01 at ±740', () => sigmoidFocalLoss.grad([740, -740, 745], [0, 1, 1], { gamma: 0.01 })],
    ['huber delta 1e-300', () => huber.grad([1e300, -1e300], [0, 0], { delta: 1e-300 })],
    ['huber delta 1e300', () => huber.grad([1e300, -1e300], [0, 0], { delta: 1e300 })],
  ])('%s', (what, call) => {
    finiteOrRejected(what, call);
  });
});

describe('class indices and ignoreIndex beyond int32 are rejected, never wrapped', () => {
  it.each([2 ** 40, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 2])('ignoreIndex %d', (big) => {
    expect(() => crossEntropy([[1, 2]], [big], { ignoreIndex: big })).toThrow(`crossEntropy: options.ignoreIndex must be an integer >= -2147483648 and <= 2147483647, got ${big}`);
    expect(() => nllLoss([[-1, -2]], [big], { ignoreIndex: big })).toThrow('nllLoss: options.ignoreIndex must be an integer');
  });

  it('a class index of 2**40, 2**32 - 1 in a Uint32Array, or 1e300', () => {
    expect(() => crossEntropy([[1, 2]], [2 ** 40])).toThrow('crossEntropy: target[0] must be a class index in [0, 2) or ignoreIndex -100, got 1099511627776');
    expect(() => crossEntropy([[1, 2]], new Uint32Array([2 ** 32 - 1]))).toThrow('crossEntropy: target[0] must be a class index in [0, 2) or ignoreIndex -100, got 4294967295');
    expect(() => sparseCategoricalCrossEntropy([[0.5, 0.5]], [1e300])).toThrow('sparseCategoricalCrossEntropy: target[0] must be a class index in [0, 2), got 1e+300');
    expect(() => focalLoss([[1, 2]], [Infinity])).toThrow('focalLoss: target[0] must be an integer class index, got Infinity');
  });
});

describe('helpers reject non-finite and rank-0 input and never return NaN or ±Infinity', () => {
  const rank0 = { data: new Float64Array([1]), shape: [] as number[] };
  it.each([
    ['softmax', softmax],
    ['logSoftmax', logSoftmax],
    ['logSumExp', logSumExp],
    ['entropy', entropy],
  ] as const)('%s', (name, f) => {
    const arg = name === 'entropy' ? 'p' : 'x';
    const call = f as (x: unknown) => unknown;
    expect(() => call(rank0)).toThrow(`${name}: ${arg} shape must be [C] or [N, C] (class scores on the last axis), got shape []`);
    expect(() => call([0.5, Infinity])).toThrow(`${name}: ${arg}[1] must be a finite number, got Infinity`);
    expect(() => call(new Float64Array([NaN, 0.5]))).toThrow(`${name}: ${arg}[0] must be a finite number, got NaN`);
    if (name === 'entropy') return;
    for (const x of [
      [1e308, -1e308],
      [0, -1e308],
      [-1e300, -1e300],
      [1.7e308, 1.7e308, 1.7e308],
    ])
      finiteOrRejected(`${name}(${x.join(', ')})`, () => call(x));
  });

  it('sigmoid, on numbers and arrays', () => {
    expect(() => sigmoid(NaN)).toThrow('sigmoid: x must be a finite number, got NaN');
    expect(() => sigmoid(Infinity)).toThrow('sigmoid: x must be a finite number, got Infinity');
    expect(() => sigmoid([0, -Infinity])).toThrow('sigmoid: x[1] must be a finite number, got -Infinity');
    expect(sigmoid(-1e300)).toBe(0);
    expect(sigmoid(1e300)).toBe(1);
  });
});

describe('a gradient finite in float64 that a Float32Array out cannot hold', () => {
  const f32 = (n: number) => new Float32Array(n);
  const beyondFloat32 = /must be finite, got -?Infinity: it overflows float32 \(options\.out's type\) for these \(finite\) arguments$/;
  // each case: the gradient into a Float32Array `out`, and (out null) into the loss's own Float64Array
  it.each([
    // a row summing to 2e-300: -t / p / Σp reaches -5e299 (Keras's gradient)
    [
      'categoricalCrossEntropy',
      'input[0]',
      (out: Float32Array | null) => (out ? categoricalCrossEntropy.grad([[1e-300, 1e-300]], [[1, 0]], { out }) : categoricalCrossEntropy.grad([[1e-300, 1e-300]], [[1, 0]])),
    ],
    // a class weight of 1e300 (the weighted rows, softRow)
    [
      'crossEntropy',
      'input[0]',
      (out: Float32Array | null) =>
        out
          ? crossEntropy.grad([[0, 0, 0]], [0], { weight: [1e300, 1, 1], reduction: 'sum', out })
          : crossEntropy.grad([[0, 0, 0]], [0], { weight: [1e300, 1, 1], reduction: 'sum' }),
    ],
    // the elementwise loop: -t / x = -1e300
    [
      'klDivergence',
      'input[0]',
      (out: Float32Array | null) => (out ? klDivergence.grad([1e-300], [1], { reduction: 'sum', out }) : klDivergence.grad([1e-300], [1], { reduction: 'sum' })),
    ],
  ] as const)('%s names %s, and a Float64Array holds it', (fn, at, call) => {
    const g = flatten(call(null));
    expect(g.every(Number.isFinite) && g.some((v) => Math.abs(v) > 3.5e38)).toBe(true);
    expect(() => call(f32(g.length))).toThrow(LossInputError);
    expect(() => call(f32(g.length))).toThrow(new RegExp(`^${fn}: the gradient at ${at.replace(/[[\]]/g, '\\$&')} ${beyondFloat32.source}`));
  });

  it('names the argument of a second gradient (gaussianNllLoss: variance)', () => {
    // d/dx = (x - y) / v = 1e39; then d/dv = (1 - (x - y)² / v) / 2v = -5e53 at x - y = 1e15, v = 1e-12 (d/dx 1e27)
    const call = () => gaussianNllLoss.grad([1e33, 0], [0, 0], [1e-6, 1], { reduction: 'sum', out: [f32(2), f32(2)] });
    expect(call).toThrow(new RegExp(`^gaussianNllLoss: the gradient at input\\[0\\] ${beyondFloat32.source}`));
    const variance = () => gaussianNllLoss.grad([1e15, 0], [0, 0], [1e-12, 1], { reduction: 'sum', out: [f32(2), f32(2)] });
    expect(variance).toThrow(new RegExp(`^gaussianNllLoss: the gradient at variance\\[0\\] ${beyondFloat32.source}`));
  });
});
