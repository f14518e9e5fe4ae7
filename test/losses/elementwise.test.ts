import { afterEach, describe, expect, it } from 'vitest';
import { binaryCrossEntropy, binaryCrossEntropyWithLogits, diceLoss, hinge, huber, klDivergence, mae, mse, rmse, sigmoidFocalLoss, squaredHinge, sse } from '../../src';
import { elementwiseLoss, kernel, readElements, useLoopCopies } from '../../src/core/losses/elementwise';
import { reduction } from '../../src/core/options';
import { expectClose } from '../helpers/close';

afterEach(() => useLoopCopies(true));

/** A loss the helper makes in a few lines: log cosh, ℓ = log cosh(x - y), ℓ' = tanh(x - y). */
const spec = { reduction: reduction() };
const logCosh = elementwiseLoss({
  name: 'logCosh',
  options: spec,
  kernel: kernel({
    term: (x, y) => Math.log(Math.cosh(x - y)),
    slope: (x, y, _a, _b, c) => c * Math.tanh(x - y),
  }),
  prepare: (input, target, o) => readElements('logCosh', input, target, o.reduction),
});

/** Deterministic pseudo-random numbers in [0, 1). */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('the elementwise helper', () => {
  it('makes a new loss from its term and slope alone, with every reduction and the out buffer', () => {
    const x = [0.5, -1, 2];
    const y = [0, 0.5, 1];
    const terms = x.map((v, i) => Math.log(Math.cosh(v - y[i]!)));
    expectClose(logCosh(x, y), (terms[0]! + terms[1]! + terms[2]!) / 3);
    expectClose(logCosh(x, y, { reduction: 'none' }), terms);
    const out = new Float64Array(3).fill(NaN);
    logCosh.grad(x, y, { out, reduction: 'sum' });
    expectClose(
      out,
      x.map((v, i) => Math.tanh(v - y[i]!)),
    );
    expect(() => logCosh([NaN], [0])).toThrow('logCosh: input[0] must be a finite number, got NaN');
  });

  const u = uniform(7);
  const n = 20001;
  const f64 = Float64Array.from({ length: n }, () => u() * 4 - 2);
  const g64 = Float64Array.from({ length: n }, () => u() * 4 - 2);
  const p64 = Float64Array.from({ length: n }, () => u() * 0.98 + 0.01);
  const b64 = Float64Array.from({ length: n }, () => (u() < 0.5 ? 0 : 1));
  const cases: [string, () => { value: unknown; grad: unknown }][] = [
    ['mse float32', () => mse.valueAndGrad(Float32Array.from(f64), Float32Array.from(g64), { out: new Float32Array(n) })],
    ['mse float64', () => mse.valueAndGrad(f64, g64)],
    ['huber weighted none', () => huber.valueAndGrad(f64, g64, { delta: 0.7, reduction: 'none' })],
    [
      'binaryCrossEntropy weight [C], smoothing',
      () =>
        binaryCrossEntropy.valueAndGrad(
          { data: p64.subarray(0, 20000), shape: [100, 200] },
          { data: b64.subarray(0, 20000), shape: [100, 200] },
          { weight: p64.subarray(0, 200), labelSmoothing: 0.1 },
        ),
    ],
    [
      'binaryCrossEntropyWithLogits posWeight [N, 1]',
      () =>
        binaryCrossEntropyWithLogits.valueAndGrad(
          { data: f64.subarray(0, 20000), shape: [100, 200] },
          { data: b64.subarray(0, 20000), shape: [100, 200] },
          { posWeight: { data: p64.subarray(0, 100), shape: [100, 1] } },
        ),
    ],
    ['sigmoidFocalLoss', () => sigmoidFocalLoss.valueAndGrad(f64, b64, { gamma: 1.5 })],
    ['klDivergence', () => klDivergence.valueAndGrad(p64, p64.slice().reverse())],
  ];

  it.each(cases)('gives the same bits with its compiled loop copies and without them: %s', (_, run) => {
    useLoopCopies(true);
    const copies = run();
    useLoopCopies(false);
    const plain = run();
    expect(plain.value).toEqual(copies.value);
    expect(plain.grad).toEqual(copies.grad);
  });

  it('sums 1e6 float64 squares to within an ulp of the exact (BigInt) sum, where a plain sum is ~100 times worse', () => {
    const m = 1e6;
    const r = uniform(11);
    // x in [1, 2) with 26 significant bits: x² is exact, and x² 2^52 an integer
    const x = Float64Array.from({ length: m }, () => 1 + Math.floor(r() * 2 ** 26) / 2 ** 26);
    let exact = 0n;
    let plain = 0;
    for (const v of x) {
      exact += BigInt(v * 2 ** 26) ** 2n;
      plain += v * v;
    }
    const reference = Number(exact) / 2 ** 52;
    const err = (v: number) => Math.abs(v - reference) / reference;
    const total = mse(x, new Float64Array(m), { reduction: 'sum' });
    expect(err(total)).toBeLessThanOrEqual(2 ** -52);
    expect(err(plain)).toBeGreaterThan(50 * 2 ** -52);
  });

  it('sums float32 inputs in float64 lanes per block, within 1e-13 of the exact sum', () => {
    const m = 1 << 20;
    const r = uniform(12);
    // float32 x in [1, 2) with 12 significant bits, so x² and the BigInt sum are exact
    const x = Float32Array.from({ length: m }, () => 1 + Math.floor(r() * 2 ** 12) / 2 ** 12);
    let exact = 0n;
    for (const v of x) exact += BigInt(v * 2 ** 12) ** 2n;
    const reference = Number(exact) / 2 ** 24;
    const total = mse(x, new Float32Array(m), { reduction: 'sum' });
    expect(Math.abs(total - reference) / reference).toBeLessThan(1e-13);
  });
});

describe('every elementwise loss writes all of out', () => {
  const x = [
    [0.3, -1.2, 2],
    [0.9, 0.1, -0.4],
  ];
  const probs = [
    [0.2, 0.7, 0.5],
    [0.9, 0.05, 0.6],
  ];
  const labels = [
    [1, 0, 1],
    [0, 0, 1],
  ];
  const calls: [string, (out: Float32Array | Float64Array) => unknown, () => unknown][] = [
    ['mse none', (out) => mse.valueAndGrad(x, probs, { out, reduction: 'none' }), () => mse.grad(x, probs, { reduction: 'none' })],
    ['mae', (out) => mae.grad(x, probs, { out }), () => mae.grad(x, probs)],
    ['sse half', (out) => sse.valueAndGrad(x, probs, { out, half: true }), () => sse.grad(x, probs, { half: true })],
    ['rmse', (out) => rmse.valueAndGrad(x, probs, { out }), () => rmse.grad(x, probs)],
    ['hinge none', (out) => hinge.valueAndGrad(x, labels, { out, reduction: 'none' }), () => hinge.grad(x, labels, { reduction: 'none' })],
    ['squaredHinge sum', (out) => squaredHinge.grad(x, labels, { out, reduction: 'sum' }), () => squaredHinge.grad(x, labels, { reduction: 'sum' })],
    [
      'binaryCrossEntropy weight [N, 1]',
      (out) => binaryCrossEntropy.grad(probs, labels, { out, weight: [[2], [0.5]] }),
      () => binaryCrossEntropy.grad(probs, labels, { weight: [[2], [0.5]] }),
    ],
    [
      'binaryCrossEntropyWithLogits posWeight [C]',
      (out) => binaryCrossEntropyWithLogits.valueAndGrad(x, labels, { out, posWeight: [1, 2, 3] }),
      () => binaryCrossEntropyWithLogits.grad(x, labels, { posWeight: [1, 2, 3] }),
    ],
    ['sigmoidFocalLoss', (out) => sigmoidFocalLoss.grad(x, labels, { out }), () => sigmoidFocalLoss.grad(x, labels)],
    [
      'klDivergence none',
      (out) =>
        klDivergence.valueAndGrad(
          probs,
          [
            [0.3, 0.3, 0.4],
            [0.5, 0.25, 0.25],
          ],
          { out, reduction: 'none' },
        ),
      () =>
        klDivergence.grad(
          probs,
          [
            [0.3, 0.3, 0.4],
            [0.5, 0.25, 0.25],
          ],
          { reduction: 'none' },
        ),
    ],
    ['diceLoss', (out) => diceLoss.grad(probs, labels, { out }), () => diceLoss.grad(probs, labels)],
  ];
  it.each(calls)('%s, into NaN-filled Float64Array and Float32Array buffers', (_, into, fresh) => {
    const expected = (fresh() as number[][]).flat();
    const out64 = new Float64Array(6).fill(NaN);
    into(out64);
    expect(Array.from(out64)).toEqual(expected);
    const out32 = new Float32Array(6).fill(NaN);
    into(out32);
    expect(Array.from(out32)).toEqual(expected.map(Math.fround));
  });
});

describe('overflow: a result beyond float64 throws, a finite one is returned', () => {
  it('returns the mean whose sum overflows, and throws for the sum itself', () => {
    expect(mse([1.3e154, 1.3e154], [0, 0])).toBe(1.3e154 * 1.3e154);
    expect(mae([1e308, 1e308], [0, 0])).toBe(1e308);
    expect(hinge([[-1.7e308, -1.7e308]], [[1, 1]])).toBe(1.7e308 + 1);
    expect(() => mse([1.3e154, 1.3e154], [0, 0], { reduction: 'sum' })).toThrow('mse: the loss must be finite, got Infinity: it overflows float64 for these (finite) arguments');
    expect(() => mse([1e200], [-1e200])).toThrow('mse: the loss must be finite, got Infinity');
  });

  it('returns a finite gradient even where the loss overflows', () => {
    expect(mse.grad([1e200], [-1e200])).toEqual([4e200]);
    expect(huber.grad([1e300, -1e300], [0, 0], { delta: 1e300, reduction: 'sum' })).toEqual([1e300, -1e300]);
  });

  it('names the element whose gradient overflows, also where it overflows float32 only', () => {
    expect(() => klDivergence.grad([1e-320, 1], [0.5, 0.5])).toThrow(
      'klDivergence: the gradient at input[0] must be finite, got -Infinity: it overflows float64 for these (finite) arguments',
    );
    expect(() => mse.grad([0, 1e39], [0, 0], { out: new Float32Array(2), reduction: 'sum' })).toThrow('mse: the gradient at input[1] must be finite, got Infinity');
    expect(mse.grad([0, 1e39], [0, 0], { reduction: 'sum' })).toEqual([0, 2e39]);
    expect(() => diceLoss.grad([0, 0], [0, 0], { smooth: 5e-324 })).toThrow('diceLoss: the gradient at input[0] (1 / (sum + smooth) overflows) must be finite, got Infinity');
  });
});
