import { describe, expect, it } from 'vitest';
import { binaryCrossEntropyWithLogits, sigmoidFocalLoss } from '../../src';
import { expectClose } from '../helpers/close';

const sig = (x: number) => 1 / (1 + Math.exp(-x));

/** Central differences of f at x, for checking analytic gradients. */
function numericGrad(f: (x: number[]) => number, x: number[], h = 1e-6): number[] {
  return x.map((_, i) => {
    const up = x.slice();
    const down = x.slice();
    up[i]! += h;
    down[i]! -= h;
    return (f(up) - f(down)) / (2 * h);
  });
}

describe('sigmoidFocalLoss', () => {
  it('is alpha_t (1 - p_t)^gamma BCE, averaged by default (torchvision defaults to none)', () => {
    // x = 2, t = 1: p_t = sigmoid(2), alpha_t = 0.25; x = -1, t = 0: p_t = 1 - sigmoid(-1), alpha_t = 0.75
    const first = 0.25 * (1 - sig(2)) ** 2 * Math.log(1 + Math.exp(-2));
    const second = 0.75 * sig(-1) ** 2 * Math.log(1 + Math.exp(-1));
    expectClose(sigmoidFocalLoss([2, -1], [1, 0]), (first + second) / 2);
    expectClose(sigmoidFocalLoss([2, -1], [1, 0], { reduction: 'none' }), [first, second]);
  });

  it('is binaryCrossEntropyWithLogits at gamma 0 with alpha off (negative)', () => {
    const x = [
      [-1.5, 0.3],
      [2, -0.7],
    ];
    const t = [
      [0, 1],
      [0.25, 1],
    ];
    expectClose(sigmoidFocalLoss(x, t, { gamma: 0, alpha: -1 }), binaryCrossEntropyWithLogits(x, t));
    expectClose(sigmoidFocalLoss.grad(x, t, { gamma: 0, alpha: -1 }), binaryCrossEntropyWithLogits.grad(x, t));
  });

  // its hard-target BCE (hardBce, and the block's copy) is bceFromLogits' formula, operation for operation
  it('gives binaryCrossEntropyWithLogits per-element values bit for bit at gamma 0 with alpha off, in float64 and float32', () => {
    const n = 9000;
    const xs = Array.from({ length: n }, (_, i) => 12 * Math.sin(i * 0.37));
    const ts = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0 : 1));
    for (const make of [(v: number[]) => Float64Array.from(v), (v: number[]) => Float32Array.from(v)]) {
      const [x, t] = [make(xs), make(ts)];
      expect(sigmoidFocalLoss(x, t, { gamma: 0, alpha: -1, reduction: 'none' })).toEqual(binaryCrossEntropyWithLogits(x, t, { reduction: 'none' }));
    }
  });

  it('has the analytic gradient alpha_t [(p - t) m^gamma + gamma m^(gamma-1) (1 - 2t) p (1 - p) BCE]', () => {
    const x = [-2, -0.3, 0.4, 1.7];
    const t = [0, 1, 0.3, 1];
    for (const options of [{}, { gamma: 0.5, alpha: 0.6 }, { gamma: 3, alpha: -1 }]) {
      const f = (v: number[]) => sigmoidFocalLoss(v, t, { ...options, reduction: 'sum' });
      expectClose(sigmoidFocalLoss.grad(x, t, { ...options, reduction: 'sum' }), numericGrad(f, x), 1e-8);
    }
    const p = sig(1.7);
    expectClose(sigmoidFocalLoss.grad([1.7], [1]), [0.25 * ((p - 1) * (1 - p) ** 2 - 2 * (1 - p) * p * (1 - p) * Math.log(1 + Math.exp(-1.7)))]);
  });

  it('stays finite for logits of +-1e4, also for gamma below 1 where (1 - p_t)^(gamma - 1) is infinite', () => {
    expectClose(sigmoidFocalLoss([-1e4, 1e4, 1e4], [1, 0, 1], { reduction: 'none', alpha: -1 }), [1e4, 1e4, 0]);
    expectClose(sigmoidFocalLoss.grad([-1e4, 1e4, 1e4], [1, 0, 1], { reduction: 'sum', alpha: -1, gamma: 0.5 }), [-1, 1, 0]);
  });

  it('computes the value and gradient together in one pass', () => {
    const both = sigmoidFocalLoss.valueAndGrad([0.5, -2], [1, 0]);
    expect(both.value).toBe(sigmoidFocalLoss([0.5, -2], [1, 0]));
    expect(both.grad).toEqual(sigmoidFocalLoss.grad([0.5, -2], [1, 0]));
  });

  it('rejects a negative gamma, an alpha above 1 and targets outside [0, 1]', () => {
    expect(() => sigmoidFocalLoss([0], [1], { gamma: -1 })).toThrow('sigmoidFocalLoss: options.gamma must be a finite number >= 0, got -1');
    expect(() => sigmoidFocalLoss([0], [1], { alpha: 2 })).toThrow('sigmoidFocalLoss: options.alpha must be a finite number <= 1, got 2');
    expect(() => sigmoidFocalLoss([0], [3])).toThrow('sigmoidFocalLoss: target[0] must be a probability in [0, 1], got 3');
  });

  // typed arrays are checked by the pass itself (a NaN term), then diagnosed in readBinaryPair's order
  it('names the first bad element of typed arrays in every call, the input before the target', () => {
    const n = 20000;
    const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i));
    const t = Float32Array.from({ length: n }, (_, i) => i % 2);
    const calls = (a: Float32Array, b: Float32Array) => [
      () => sigmoidFocalLoss(a, b),
      () => sigmoidFocalLoss(a, b, { reduction: 'none' }),
      () => sigmoidFocalLoss.grad(a, b, { out: new Float32Array(n) }),
      () => sigmoidFocalLoss.valueAndGrad(a, b),
    ];
    const bad = (v: Float32Array, i: number, value: number) => Object.assign(v.slice(), { [i]: value });
    const cases: [Float32Array, Float32Array, string][] = [
      [x, bad(t, 15000, 1.5), 'sigmoidFocalLoss: target[15000] must be a probability in [0, 1], got 1.5'],
      [x, bad(t, 9, -0.25), 'sigmoidFocalLoss: target[9] must be a probability in [0, 1], got -0.25'],
      [x, bad(t, 12345, NaN), 'sigmoidFocalLoss: target[12345] must be a finite number, got NaN'],
      [bad(x, 17, Infinity), t, 'sigmoidFocalLoss: input[17] must be a finite number, got Infinity'],
      [bad(x, 19999, NaN), bad(t, 3, 2), 'sigmoidFocalLoss: input[19999] must be a finite number, got NaN'],
    ];
    for (const [a, b, message] of cases) for (const call of calls(a, b)) expect(call).toThrow(message);
    expect(Number.isFinite(sigmoidFocalLoss(x, t))).toBe(true);
  });
});

describe('sigmoidFocalLoss to float64 accuracy', () => {
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

  it('keeps the digits of confident right predictions, where 1 - sigmoid(x) keeps few', () => {
    for (const x of [20, 36, 37, 40]) {
      const m = Math.exp(-x) / (1 + Math.exp(-x));
      const exact = m * m * Math.log1p(Math.exp(-x));
      expect(rel(sigmoidFocalLoss([x], [1], { alpha: -1 }), exact), `x = ${x}`).toBeLessThan(1e-14);
      expect(rel(sigmoidFocalLoss([-x], [0], { alpha: -1 }), exact), `x = -${x}`).toBeLessThan(1e-14);
    }
    const torchvision = (x: number) => (1 - sig(x)) ** 2 * Math.log1p(Math.exp(-x));
    const exact36 = (Math.exp(-36) / (1 + Math.exp(-36))) ** 2 * Math.log1p(Math.exp(-36));
    expect(rel(torchvision(36), exact36)).toBeGreaterThan(0.04);
  });

  it('has the gradient of a confident right prediction to the last digits: m^2 [-m - 2 m (1 - m) BCE] for t = 1', () => {
    const x = 30;
    const m = Math.exp(-x) / (1 + Math.exp(-x));
    const bce = Math.log1p(Math.exp(-x));
    const exact = m * m * (-m - 2 * (1 - m) * bce);
    expect(rel(sigmoidFocalLoss.grad([x], [1], { alpha: -1, reduction: 'sum' })[0]!, exact)).toBeLessThan(1e-14);
  });

  it('stays finite at logits of +-740 for any gamma, even 0.01 where m^(gamma - 1) overflows', () => {
    const g = sigmoidFocalLoss.grad([740, -740, 745, -745], [0, 1, 1, 0], { gamma: 0.01, reduction: 'sum' });
    for (const v of g) expect(Number.isFinite(v)).toBe(true);
    expect(g[0]).toBeCloseTo(0.75, 12);
  });
});
