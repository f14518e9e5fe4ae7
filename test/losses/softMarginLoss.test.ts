import { describe, expect, it } from 'vitest';
import { binaryCrossEntropyWithLogits, softMarginLoss } from '../../src';
import { expectClose } from '../helpers/close';

describe('softMarginLoss', () => {
  const x = [0.5, -1.5, 2, 30, -40];
  const y = [1, -1, -1, 1, 1];
  const t = y.map((v) => (1 + v) / 2);

  it('is log(1 + exp(-y x))', () => {
    expectClose(softMarginLoss([0, 2], [1, -1], { reduction: 'none' }), [Math.LN2, Math.log1p(Math.exp(2))]);
    expectClose(softMarginLoss([0, 2], [1, -1]), (Math.LN2 + Math.log1p(Math.exp(2))) / 2);
  });

  it('is binaryCrossEntropyWithLogits on the targets (1 + y) / 2, value and gradient', () => {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      expectClose(softMarginLoss(x, y, { reduction }), binaryCrossEntropyWithLogits(x, t, { reduction }));
      expectClose(softMarginLoss.grad(x, y, { reduction }), binaryCrossEntropyWithLogits.grad(x, t, { reduction }));
    }
  });

  it('has gradient -y sigmoid(-y x), over n for mean', () => {
    expectClose(softMarginLoss.grad([0.5, 2], [1, -1]), [-1 / (1 + Math.exp(0.5)) / 2, 1 / (1 + Math.exp(-2)) / 2]);
  });

  it('keeps its digits for confident scores', () => {
    expectClose(softMarginLoss([30], [1]), Math.log1p(Math.exp(-30)), 1e-15);
    expectClose(softMarginLoss([-800], [-1]), 0);
  });

  it('gives value and gradient in one pass', () => {
    const vg = softMarginLoss.valueAndGrad(x, y);
    expectClose(vg.value, softMarginLoss(x, y));
    expectClose(vg.grad, softMarginLoss.grad(x, y));
  });

  it('rejects targets other than -1 and 1', () => {
    expect(() => softMarginLoss([1, 2], [1, 0])).toThrow('softMarginLoss: target[1] must be -1 or 1, got 0');
  });

  // typed arrays are checked by the pass itself (a NaN term), then diagnosed: the labels first, then the input
  it('names the first bad element of typed arrays in every call, the labels before the input', () => {
    const n = 20000;
    const xs = Float64Array.from({ length: n }, (_, i) => 3 * Math.sin(i));
    const ys = Float64Array.from({ length: n }, (_, i) => (i % 3 ? 1 : -1));
    const calls = (a: Float64Array, b: Float64Array) => [
      () => softMarginLoss(a, b),
      () => softMarginLoss(a, b, { reduction: 'none' }),
      () => softMarginLoss.grad(a, b, { out: new Float64Array(n) }),
      () => softMarginLoss.valueAndGrad(a, b),
    ];
    const bad = (v: Float64Array, i: number, value: number) => Object.assign(v.slice(), { [i]: value });
    const cases: [Float64Array, Float64Array, string][] = [
      [xs, bad(ys, 15000, 0), 'softMarginLoss: target[15000] must be -1 or 1, got 0'],
      [xs, bad(ys, 4, 0.5), 'softMarginLoss: target[4] must be -1 or 1, got 0.5'],
      [xs, bad(ys, 12345, NaN), 'softMarginLoss: target[12345] must be a finite number, got NaN'],
      [bad(xs, 8, NaN), bad(ys, 19000, 2), 'softMarginLoss: target[19000] must be -1 or 1, got 2'],
      [bad(xs, 17, -Infinity), ys, 'softMarginLoss: input[17] must be a finite number, got -Infinity'],
    ];
    for (const [a, b, message] of cases) for (const call of calls(a, b)) expect(call).toThrow(message);
    expect(Number.isFinite(softMarginLoss(xs, ys))).toBe(true);
  });
});
