import { describe, expect, it } from 'vitest';
import { huber, mae, smoothL1Loss } from '../../src';
import { expectClose } from '../helpers/close';

describe('smoothL1Loss', () => {
  const x = [0.3, -2, 4, 1.1, -0.05];
  const y = [0, 0.5, -1, 1, 0];

  it('is half the squared error over beta inside beta and |d| - beta/2 beyond it', () => {
    // d = -0.5 is inside beta = 1: 0.125; d = -3 is outside: 3 - 0.5
    expectClose(smoothL1Loss([0, 0], [0.5, 3]), (0.125 + 2.5) / 2);
    expectClose(smoothL1Loss([1, 5], [0, 0], { beta: 2, reduction: 'none' }), [1 / 4, 5 - 1]);
  });

  it('is huber with delta = beta, divided by beta', () => {
    for (const beta of [0.1, 0.5, 1, 3]) {
      for (const reduction of ['mean', 'sum', 'none'] as const) {
        const h = huber(x, y, { delta: beta, reduction });
        const expected = typeof h === 'number' ? h / beta : Array.from(h, (v) => v / beta);
        expectClose(smoothL1Loss(x, y, { beta, reduction }), expected);
        expectClose(
          smoothL1Loss.grad(x, y, { beta, reduction }),
          huber.grad(x, y, { delta: beta, reduction }).map((g) => g / beta),
        );
      }
    }
  });

  it('is the absolute error at beta 0, with gradient sign(d) and 0 at d = 0', () => {
    expectClose(smoothL1Loss(x, y, { beta: 0 }), mae(x, y));
    expect(smoothL1Loss.grad([2, -1, 0], [0, 0, 0], { beta: 0, reduction: 'sum' })).toEqual([1, -1, 0]);
  });

  it('has gradient clamp(d / beta, -1, 1), over n for mean', () => {
    expect(smoothL1Loss.grad([0, 0], [0.5, 3], { beta: 2 })).toEqual([-0.25 / 2, -1 / 2]);
    expect(smoothL1Loss.grad([[1, -1]], [[0, 0]], { reduction: 'sum' })).toEqual([[1, -1]]);
  });

  it('gives value and gradient in one pass, and writes the gradient into out', () => {
    const out = new Float64Array(5);
    const vg = smoothL1Loss.valueAndGrad(x, y, { beta: 0.5, out });
    expectClose(vg.value, smoothL1Loss(x, y, { beta: 0.5 }));
    expect(vg.grad).toBe(out);
    expectClose(out, smoothL1Loss.grad(x, y, { beta: 0.5 }));
  });

  it('rejects a negative beta', () => {
    expect(() => smoothL1Loss([1], [0], { beta: -1 })).toThrow('smoothL1Loss: options.beta must be a finite number >= 0, got -1');
  });

  it("at beta 1 equals huber at delta 1 bit for bit (its WebAssembly kernel is huber's), value and gradient", () => {
    const n = 5000;
    const x = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      x[i] = Math.sin(i) * 3;
      y[i] = i % 7 === 0 ? x[i]! + [1, -1, 0, 0.5, -2][i % 5]! : Math.cos(i * 1.3) * 3;
    }
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      const a = smoothL1Loss.valueAndGrad(x, y, { reduction });
      const b = huber.valueAndGrad(x, y, { reduction, delta: 1 });
      expect(a.value).toEqual(b.value);
      expect(a.grad).toEqual(b.grad);
    }
  });
});
