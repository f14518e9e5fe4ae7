import { describe, expect, it } from 'vitest';
import { crossEntropy, polyLoss } from '../../src';
import { expectClose, flatten } from '../helpers/close';

const softmax = (xs: number[]) => {
  const m = Math.max(...xs);
  const e = xs.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

/** Central differences of f at x. */
function numericGrad(f: (x: number[]) => number, x: number[], h = 1e-6): number[] {
  return x.map((_, i) => {
    const up = x.slice();
    const down = x.slice();
    up[i]! += h;
    down[i]! -= h;
    return (f(up) - f(down)) / (2 * h);
  });
}

describe('polyLoss', () => {
  it('is -log p_y + epsilon (1 - p_y) with p = softmax(x), epsilon 2 by default, averaged', () => {
    const p0 = softmax([2, 1, 0.1])[0]!;
    const p1 = softmax([0.5, 2.5, 0.3])[2]!;
    expectClose(
      polyLoss(
        [
          [2, 1, 0.1],
          [0.5, 2.5, 0.3],
        ],
        [0, 2],
      ),
      (-Math.log(p0) + 2 * (1 - p0) - Math.log(p1) + 2 * (1 - p1)) / 2,
    );
    expectClose(
      polyLoss(
        [
          [2, 1, 0.1],
          [0.5, 2.5, 0.3],
        ],
        [0, 2],
        { epsilon: 5, reduction: 'sum' },
      ),
      -Math.log(p0) + 5 * (1 - p0) - Math.log(p1) + 5 * (1 - p1),
    );
    expectClose(
      polyLoss(
        [
          [2, 1, 0.1],
          [0.5, 2.5, 0.3],
        ],
        [0, 2],
        { epsilon: -1, reduction: 'none' },
      ),
      [-Math.log(p0) - (1 - p0), -Math.log(p1) - (1 - p1)],
    );
    expect(polyLoss.defaults.epsilon).toBe(2);
  });

  it('is crossEntropy at epsilon 0, to the bit', () => {
    const logits = [
      [2, 1, 0.1],
      [0.5, 2.5, 0.3],
      [-1, 0, 4],
    ];
    expect(polyLoss(logits, [0, 2, 1], { epsilon: 0 })).toBe(crossEntropy(logits, [0, 2, 1]));
    expect(polyLoss.grad(logits, [0, 2, 1], { epsilon: 0 })).toEqual(crossEntropy.grad(logits, [0, 2, 1]));
  });

  it('takes probability targets as optax: cross-entropy + epsilon sum_c t_c (1 - p_c)', () => {
    const x = [0.5, -1, 3];
    const t = [0.2, 0.3, 0.5];
    const p = softmax(x);
    const ce = -t.reduce((s, tc, c) => s + tc * Math.log(p[c]!), 0);
    const poly = t.reduce((s, tc, c) => s + tc * (1 - p[c]!), 0);
    expectClose(polyLoss([x], [t]), ce + 2 * poly);
    expectClose(polyLoss([x], [t], { epsilon: 0 }), crossEntropy([x], [t]));
    // one-hot probability targets are class indices
    expectClose(
      polyLoss(
        [x, [1, 2, 3]],
        [
          [0, 0, 1],
          [1, 0, 0],
        ],
        { reduction: 'none' },
      ),
      polyLoss([x, [1, 2, 3]], [2, 0], { reduction: 'none' }),
      1e-15,
    );
    expectClose(polyLoss.grad([x], [[0, 1, 0]], { epsilon: 3 }), polyLoss.grad([x], [1], { epsilon: 3 }), 1e-15);
  });

  it('has gradient (1 + epsilon p_y)(softmax(x) - onehot(y))', () => {
    const x = [0.3, -1.2, 2];
    const p = softmax(x);
    const G = 1 + 2 * p[0]!;
    expectClose(polyLoss.grad(x, 0), [G * (p[0]! - 1), G * p[1]!, G * p[2]!]);
    for (const epsilon of [-1, -0.5, 1, 4.5])
      expectClose(
        polyLoss.grad(x, 1, { epsilon }),
        numericGrad((v) => polyLoss(v, 1, { epsilon }), x),
        1e-8,
      );
    const t = [0.1, 0.6, 0.3];
    expectClose(
      polyLoss.grad(x, t, { epsilon: 1.5 }),
      numericGrad((v) => polyLoss(v, t, { epsilon: 1.5 }), x),
      1e-8,
    );
  });

  it('keeps the digits of a confident row, where 1 - p_y in float64 is 0', () => {
    const t = Math.exp(-40);
    expect(Math.abs(polyLoss([[0, 40]], [1]) / (Math.log1p(t) + (2 * t) / (1 + t)) - 1)).toBeLessThan(1e-15);
    const g = flatten(polyLoss.grad([[0, 40]], [1]));
    expect(Math.abs(g[1]! / (-(1 + 2 / (1 + t)) * (t / (1 + t))) - 1)).toBeLessThan(1e-15);
    expect(polyLoss([[1e16, 1e16]], [0], { epsilon: 1 })).toBe(Math.LN2 + 0.5);
  });

  it('computes value and gradient in one pass, and writes a float32 out as the float64 gradient rounded', () => {
    const x = { data: Float64Array.from([0.5, -1, 3, 2, 0, -2]), shape: [2, 3] };
    const t = [
      [0.2, 0.3, 0.5],
      [1, 0, 0],
    ];
    const both = polyLoss.valueAndGrad(x, t, { epsilon: 1 });
    expect(both.value).toBe(polyLoss(x, t, { epsilon: 1 }));
    expect(both.grad).toEqual(polyLoss.grad(x, t, { epsilon: 1 }));
    const out = new Float32Array(6);
    polyLoss.grad(x, t, { epsilon: 1, out });
    expect(Array.from(out)).toEqual(Array.from(Float32Array.from(both.grad.data)));
  });

  it('rejects bad targets and options with clear errors', () => {
    expect(() => polyLoss([[1, 2]], [2])).toThrow('polyLoss: target[0] must be a class index in [0, 2), got 2');
    expect(() => polyLoss([[1, 2]], [0.5])).toThrow('polyLoss: target[0] must be an integer class index, got 0.5');
    expect(() => polyLoss([[1, 2]], [[0.5, 0.25, 0.25]])).toThrow('polyLoss: target must be of shape [1,2] like input, got shape [1,3]');
    expect(() => polyLoss([[1, 2]], [[-0.5, 1.5]])).toThrow('polyLoss: target[0] must be a probability in [0, 1], got -0.5');
    expect(() => polyLoss([[1, 2]], [0], { epsilon: NaN })).toThrow('polyLoss: options.epsilon must be a finite number, got NaN');
    expect(() => polyLoss([[1, 2]], [0], { weight: [1, 1] } as never)).toThrow('polyLoss: option "weight" must be one of reduction, epsilon, got an unknown option');
    expect(() => polyLoss([[1, NaN]], [0])).toThrow('polyLoss: input[0][1] must be a finite number, got NaN');
  });
});
