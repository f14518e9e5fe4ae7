import { describe, expect, it } from 'vitest';
import { diceLoss, tversky } from '../../src';
import { expectClose } from '../helpers/close';

function numericGrad(f: (x: number[]) => number, x: number[], h = 1e-6): number[] {
  return x.map((_, i) => {
    const up = x.slice();
    const down = x.slice();
    up[i]! += h;
    down[i]! -= h;
    return (f(up) - f(down)) / (2 * h);
  });
}

describe('tversky', () => {
  it('is 1 - (TP + s)/(TP + alpha FP + beta FN + s), with alpha = beta = s = 0.5 by default', () => {
    // TP = 0.9 + 0.8, FP = 0.1 + 0.2, FN = 0.1 + 0.2
    const [tp, fp, fn] = [1.7, 0.3, 0.3];
    expectClose(tversky([0.9, 0.8, 0.1, 0.2], [1, 1, 0, 0]), 1 - (tp + 0.5) / (tp + 0.5 * fp + 0.5 * fn + 0.5));
    expectClose(tversky([0.9, 0.8, 0.1, 0.2], [1, 1, 0, 0], { alpha: 0.3, beta: 0.7, smooth: 0 }), 1 - tp / (tp + 0.3 * fp + 0.7 * fn));
    expect(tversky.defaults).toEqual({ reduction: 'mean', alpha: 0.5, beta: 0.5, smooth: 0.5 });
  });

  it('is diceLoss at alpha = beta = 0.5 with the defaults, and with smooth s as diceLoss with smooth 2s', () => {
    const p = [
      [0.9, 0.8, 0.1, 0.2],
      [0.3, 0.6, 0.2, 0.9],
    ];
    const y = [
      [1, 1, 0, 0],
      [0, 1, 0.5, 1],
    ];
    expectClose(tversky(p, y, { reduction: 'none' }), diceLoss(p, y, { reduction: 'none' }), 1e-15);
    expectClose(tversky.grad(p, y), diceLoss.grad(p, y), 1e-15);
    expectClose(tversky(p, y, { smooth: 0 }), diceLoss(p, y, { smooth: 0 }), 1e-15);
    expectClose(tversky(p, y, { smooth: 2 }), diceLoss(p, y, { smooth: 4 }), 1e-15);
  });

  it('is the Jaccard loss at alpha = beta = 1 and smooth 0', () => {
    const p = [0.9, 0.8, 0.1, 0.2];
    const y = [1, 1, 0, 0];
    const inter = 1.7;
    const union = 2 + 2 - inter;
    expectClose(tversky(p, y, { alpha: 1, beta: 1, smooth: 0 }), 1 - inter / union);
  });

  it('treats each row as one sample and reduces over samples', () => {
    const p = [
      [0.9, 0.1],
      [0.2, 0.7],
    ];
    const y = [
      [1, 0],
      [1, 1],
    ];
    const items = [tversky(p[0]!, y[0]!), tversky(p[1]!, y[1]!)] as number[];
    expectClose(tversky(p, y, { reduction: 'none' }), items);
    expectClose(tversky(p, y, { reduction: 'sum' }), items[0]! + items[1]!);
    expectClose(tversky(p, y), (items[0]! + items[1]!) / 2);
  });

  it('has gradient [alpha (1 - y) T - y (loss + beta T)] / D', () => {
    const p = [0.9, 0.8, 0.1, 0.2];
    const y = [1, 0.5, 0, 1];
    for (const options of [{}, { alpha: 0.3, beta: 0.7 }, { alpha: 0, beta: 2, smooth: 0 }, { alpha: 1.5, beta: 0.1, smooth: 3 }]) {
      expectClose(
        tversky.grad(p, y, options),
        numericGrad((v) => tversky(v, y, options), p),
        1e-8,
      );
    }
  });

  it('keeps the small loss of a near-perfect mask', () => {
    const loss = tversky([1 - 1e-12, 1e-12, 1, 0], [1, 0, 1, 0], { smooth: 0 });
    // FP = FN = 1e-12 (to float64's 1 - 1e-12), TP = 2 - 1e-12
    expect(Math.abs(loss / (1e-12 / 2) - 1)).toBeLessThan(1e-4);
    expect(Math.abs(loss / ((0.5 * 1e-12 + 0.5 * (1 - (1 - 1e-12))) / 2) - 1)).toBeLessThan(1e-15);
  });

  it('rejects bad input and options with clear errors', () => {
    expect(() => tversky([0.5, 2], [1, 0])).toThrow('tversky: input[1] must be a probability in [0, 1], got 2');
    expect(() => tversky([0.5, 0.5], [1, 0, 0])).toThrow('tversky: target must be of shape [2] like input, got shape [3]');
    expect(() => tversky([[0, 0]], [[0, 0]], { smooth: 0 })).toThrow(
      "tversky: options.smooth must be > 0 when row 0's TP + alpha FP + beta FN is 0 (the Tversky index is 0/0), got 0",
    );
    expect(() => tversky([0.5], [1], { alpha: -1 })).toThrow('tversky: options.alpha must be a finite number >= 0, got -1');
    expect(() => tversky([0.5], [1], { beta: NaN })).toThrow('tversky: options.beta must be a finite number >= 0, got NaN');
    expect(tversky([[0, 0]], [[0, 0]])).toBe(0);
  });
});
