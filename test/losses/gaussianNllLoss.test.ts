import { describe, expect, it } from 'vitest';
import { gaussianNllLoss, mse } from '../../src';
import { expectClose } from '../helpers/close';

describe('gaussianNllLoss', () => {
  const x = [
    [1, 2],
    [-0.5, 0.25],
  ];
  const y = [
    [0, 0.5],
    [0.5, 0],
  ];
  const d = [1, 1.5, -1, 0.25];

  it('is (log v + (x - y)² / v) / 2, plus log(2 pi) / 2 when full', () => {
    expectClose(gaussianNllLoss([1, 2], [0, 0], [1, 4], { reduction: 'none' }), [0.5, 0.5 * (Math.log(4) + 1)]);
    expectClose(gaussianNllLoss([1, 2], [0, 0], [1, 4], { full: true, reduction: 'sum' }), 0.5 + 0.5 * (Math.log(4) + 1) + Math.log(2 * Math.PI));
  });

  it('is mse / 2 at unit variance', () => {
    expectClose(
      gaussianNllLoss(x, y, [
        [1, 1],
        [1, 1],
      ]),
      mse(x, y) / 2,
    );
  });

  it('takes one variance per row as [N] or [N, 1], as the same variance repeated', () => {
    const full = gaussianNllLoss.grad(x, y, [
      [2, 2],
      [0.5, 0.5],
    ]);
    for (const v of [
      [2, 0.5],
      [[2], [0.5]],
    ]) {
      expectClose(
        gaussianNllLoss(x, y, v),
        gaussianNllLoss(x, y, [
          [2, 2],
          [0.5, 0.5],
        ]),
      );
      const [dx, dv] = gaussianNllLoss.grad(x, y, v);
      expectClose(dx, full[0]);
      const rows = (full[1] as number[][]).map((r) => r[0]! + r[1]!);
      expectClose(dv, Array.isArray(v[0]) ? rows.map((r) => [r]) : rows);
    }
  });

  it('has gradients (x - y) / v and (1/v - (x - y)²/v²) / 2, over n for mean', () => {
    const v = [
      [2, 1],
      [0.5, 4],
    ];
    const [dx, dv] = gaussianNllLoss.grad(x, y, v);
    const vs = v.flat();
    expectClose(dx, [
      [d[0]! / vs[0]! / 4, d[1]! / vs[1]! / 4],
      [d[2]! / vs[2]! / 4, d[3]! / vs[3]! / 4],
    ]);
    expectClose(
      dv,
      [0, 1].map((r) => [0, 1].map((c) => (0.5 * (1 / vs[2 * r + c]! - d[2 * r + c]! ** 2 / vs[2 * r + c]! ** 2)) / 4)),
    );
  });

  it('clamps variances at eps, the variance gradient taken at eps (as PyTorch autograd)', () => {
    const eps = 1e-6;
    expectClose(gaussianNllLoss([1], [0], [0], { reduction: 'sum' }), 0.5 * (Math.log(eps) + 1 / eps));
    const [, dv] = gaussianNllLoss.grad([1], [0], [1e-9], { reduction: 'sum' });
    expectClose(dv, [0.5 * (1 / eps - 1 / eps ** 2)]);
  });

  it('gives value and both gradients in one pass', () => {
    const vg = gaussianNllLoss.valueAndGrad(x, y, [2, 0.5]);
    expectClose(vg.value, gaussianNllLoss(x, y, [2, 0.5]));
    expectClose(vg.grad, gaussianNllLoss.grad(x, y, [2, 0.5]));
  });

  it('rejects a variance of another shape, a negative variance and a bad eps', () => {
    expect(() => gaussianNllLoss(x, y, [[1, 2]])).toThrow('gaussianNllLoss: variance must be of shape [2,2] like input, [2], or [2,1], got shape [1,2]');
    expect(() => gaussianNllLoss(x, y, [1, -1])).toThrow('gaussianNllLoss: variance[1] must be a variance >= 0, got -1');
    expect(() => gaussianNllLoss(x, y, [1, 1], { eps: 0 })).toThrow('gaussianNllLoss: options.eps must be a finite number > 0, got 0');
  });
});
