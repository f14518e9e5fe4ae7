import { describe, expect, it } from 'vitest';
import { categoricalCrossEntropy, categoricalFocalCrossEntropy as cfce } from '../../src';
import { expectClose, flatten } from '../helpers/close';

const EPS = 1e-7;
const clip = (q: number) => Math.min(Math.max(q, EPS), 1 - EPS);

/** Keras's formula, written out: renormalise, clip, sum alpha (1 - r)^gamma (-t log r). */
function keras(p: number[], t: number[], gamma = 2, alpha = 0.25): number {
  const s = p.reduce((a, b) => a + b, 0);
  return p.reduce((sum, v, c) => {
    const r = clip(v / s);
    return sum + alpha * (1 - r) ** gamma * -t[c]! * Math.log(r);
  }, 0);
}

const softmax = (xs: number[]) => {
  const m = Math.max(...xs);
  const e = xs.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

function numericGrad(f: (x: number[]) => number, x: number[], h = 1e-6): number[] {
  return x.map((_, i) => {
    const up = x.slice();
    const down = x.slice();
    up[i]! += h;
    down[i]! -= h;
    return (f(up) - f(down)) / (2 * h);
  });
}

describe('categoricalFocalCrossEntropy', () => {
  it("gives Keras's docstring values (float32 there): 0.23315276 and [3.2058331e-05, 4.6627346e-01]", () => {
    const p = [
      [0.05, 0.95, 0],
      [0.1, 0.8, 0.1],
    ];
    const y = [
      [0, 1, 0],
      [0, 0, 1],
    ];
    expectClose(cfce(p, y), 0.23315276, 1e-7);
    expectClose(cfce(p, y, { reduction: 'none' }), [3.2058331e-5, 4.6627346e-1], 1e-7);
    expectClose(cfce(p, y, { reduction: 'sum' }), 0.46631, 1e-5);
    expectClose(
      cfce(
        [
          [0.05, 0.9, 0.05],
          [0.1, 0.85, 0.05],
        ],
        y,
        { reduction: 'none' },
      ),
      [2.63401289e-4, 6.75912094e-1],
      1e-8,
    );
  });

  it('is alpha (1 - r)^gamma (-t log r) summed over classes, r the renormalised, clipped input', () => {
    const p = [0.2, 0.5, 0.1];
    const t = [0.1, 0.7, 0.2];
    expectClose(cfce(p, t), keras(p, t));
    expectClose(cfce(p, t, { gamma: 0.5, alpha: 0.75 }), keras(p, t, 0.5, 0.75));
    expectClose(cfce([[1, 0, 0]], [[1, 0, 0]]), 0.25 * EPS ** 2 * -Math.log(1 - EPS), 1e-8);
    expect(cfce.defaults).toEqual({ reduction: 'mean', gamma: 2, alpha: 0.25, fromLogits: false, labelSmoothing: 0 });
  });

  it('takes alpha per class, and smooths labels as t (1 - s) + s / C', () => {
    const p = [0.2, 0.5, 0.3];
    const t = [0, 1, 0];
    const perClass = [0.2, 0.5, 0.3].reduce((s, v, c) => s + [1, 2, 3][c]! * (1 - clip(v)) ** 2 * -t[c]! * Math.log(clip(v)), 0);
    expectClose(cfce(p, t, { alpha: [1, 2, 3] }), perClass);
    const smoothed = t.map((v) => v * 0.9 + 0.1 / 3);
    expectClose(cfce(p, t, { labelSmoothing: 0.1 }), keras(p, smoothed));
  });

  it('applies a softmax first with fromLogits, then clips as Keras does (a confident row has gradient 0)', () => {
    const x = [0.3, -1.2, 2];
    expectClose(cfce(x, [0, 0, 1], { fromLogits: true }), keras(softmax(x), [0, 0, 1]));
    expect(flatten(cfce.grad([[0, 40, -3]], [[0, 1, 0]], { fromLogits: true }))).toEqual([0, 0, 0]);
  });

  it('is categoricalCrossEntropy at gamma 0, alpha 1 (from logits while nothing is clipped)', () => {
    const p = [
      [0.2, 0.3, 0.5],
      [0.6, 0.1, 0.3],
    ];
    const t = [
      [0.1, 0.2, 0.7],
      [1, 0, 0],
    ];
    const o = { gamma: 0, alpha: 1, labelSmoothing: 0.1 };
    expectClose(cfce(p, t, o), categoricalCrossEntropy(p, t, { labelSmoothing: 0.1 }), 1e-15);
    expectClose(cfce.grad(p, t, o), categoricalCrossEntropy.grad(p, t, { labelSmoothing: 0.1 }), 1e-15);
    const x = [
      [0.3, -1.2, 2],
      [1, 1, 0],
    ];
    expectClose(cfce.grad(x, t, { ...o, fromLogits: true }), categoricalCrossEntropy.grad(x, t, { labelSmoothing: 0.1, fromLogits: true }), 1e-15);
  });

  it('has the gradient of the clipped formula, on probabilities and from logits', () => {
    const p = [0.2, 0.5, 0.1];
    const t = [0.1, 0.7, 0.2];
    for (const options of [{}, { gamma: 0.5, alpha: [0.2, 1, 3] }, { gamma: 3, labelSmoothing: 0.2 }]) {
      expectClose(
        cfce.grad(p, t, options),
        numericGrad((v) => cfce(v, t, options), p),
        1e-8,
      );
      const x = [0.3, -1.2, 2];
      const o = { ...options, fromLogits: true };
      expectClose(
        cfce.grad(x, t, o),
        numericGrad((v) => cfce(v, t, o), x),
        1e-8,
      );
    }
    // a clipped class (q = 0) passes no gradient through its log
    const g = flatten(cfce.grad([0.5, 0.5, 0], [0, 0, 1]));
    expect(g).toEqual([0, 0, 0]);
  });

  it('rejects bad input and options with clear errors', () => {
    expect(() => cfce([[0.5, 0.5]], [[1, 0, 0]])).toThrow('categoricalFocalCrossEntropy: target must be of shape [1,2] like input, got shape [1,3]');
    expect(() => cfce([[0.5, 1.5]], [[1, 0]])).toThrow('categoricalFocalCrossEntropy: input[1] must be a probability in [0, 1], got 1.5');
    expect(() => cfce([[0, 0]], [[1, 0]])).toThrow('categoricalFocalCrossEntropy: the sum of input row 0 must be > 0 (each row is divided by its sum), got 0');
    expect(() => cfce([[0.5, 0.5]], [[1, 0]], { alpha: [1, 2, 3] })).toThrow(
      'categoricalFocalCrossEntropy: options.alpha must be a number or 2 values, one per class, got 3 values',
    );
    expect(() => cfce([[0.5, 0.5]], [[1, 0]], { alpha: -1 })).toThrow('categoricalFocalCrossEntropy: options.alpha must be a finite number >= 0, got -1');
    expect(() => cfce([[0.5, 0.5]], [[1, 0]], { alpha: 'all' as never })).toThrow(
      'categoricalFocalCrossEntropy: options.alpha must be a number >= 0 or an array of them, one per class, got "all"',
    );
    expect(() => cfce([[0.5, 0.5]], [[1, 0]], { gamma: -1 })).toThrow('categoricalFocalCrossEntropy: options.gamma must be a finite number >= 0, got -1');
    expect(() => cfce([[0.5, 0.5]], [[1, 0]], { labelSmoothing: 2 })).toThrow('categoricalFocalCrossEntropy: options.labelSmoothing must be a finite number >= 0 and <= 1, got 2');
  });
});
