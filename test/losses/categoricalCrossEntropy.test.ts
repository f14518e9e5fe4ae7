import { describe, expect, it } from 'vitest';
import { categoricalCrossEntropy, crossEntropy } from '../../src';
import { expectClose } from '../helpers/close';

const EPS = 1e-7;
const oneHot = [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];

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

describe('categoricalCrossEntropy', () => {
  it("reproduces the source post's softmax CEE examples, per sample and averaged", () => {
    const worse = [
      [0.3, 0.1, 0.6],
      [0.3, 0.5, 0.2],
      [0.4, 0.1, 0.5],
    ];
    const better = [
      [0.6, 0.1, 0.3],
      [0.3, 0.5, 0.2],
      [0.4, 0.1, 0.5],
    ];
    expectClose(categoricalCrossEntropy(worse, oneHot, { reduction: 'none' }), [-Math.log(0.3), -Math.log(0.5), -Math.log(0.5)]);
    expectClose(categoricalCrossEntropy(worse, oneHot, { reduction: 'none' }), [1.2039728043259361, 0.6931471805599453, 0.6931471805599453]);
    expectClose(categoricalCrossEntropy(worse, oneHot), 0.8634223884819422);
    expectClose(categoricalCrossEntropy(better, oneHot), (-Math.log(0.6) - 2 * Math.log(0.5)) / 3);
    expectClose(categoricalCrossEntropy(better, oneHot), 0.6323733282952938);
  });

  it('renormalises each row of probabilities before the log, as Keras does', () => {
    expectClose(categoricalCrossEntropy([[0.2, 0.2, 0.4]], [[0, 0, 1]]), -Math.log(0.4 / 0.8));
  });

  it('clips probabilities to [1e-7, 1 - 1e-7], so 0 and 1 give finite values', () => {
    expectClose(categoricalCrossEntropy([[0, 1]], [[1, 0]]), -Math.log(EPS));
    expectClose(categoricalCrossEntropy([[1, 0]], [[1, 0]]), -Math.log(1 - EPS));
  });

  it('takes soft targets and smooths them as Keras does: t (1 - s) + s / C', () => {
    const t = [1 * 0.7 + 0.3 / 3, 0.3 / 3, 0.3 / 3];
    const expected = -(t[0]! * Math.log(0.5) + t[1]! * Math.log(0.25) + t[2]! * Math.log(0.25));
    expectClose(categoricalCrossEntropy([0.5, 0.25, 0.25], [1, 0, 0], { labelSmoothing: 0.3 }), expected);
  });

  it('is softmax cross-entropy with fromLogits, as crossEntropy with probability targets', () => {
    const logits = [
      [2, 1, 0.1],
      [0.5, 2.5, 0.3],
    ];
    const t = [
      [0.7, 0.2, 0.1],
      [0, 1, 0],
    ];
    expectClose(categoricalCrossEntropy(logits, t, { fromLogits: true }), crossEntropy(logits, t));
    expectClose(categoricalCrossEntropy.grad(logits, t, { fromLogits: true }), crossEntropy.grad(logits, t));
    expectClose(categoricalCrossEntropy([[1e4, -1e4]], [[0, 1]], { fromLogits: true }), 2e4);
  });

  it('has gradient (g_k - sum_c g_c q_c) / sum(p), g_c = -t_c / q_c, through the renormalisation', () => {
    // p sums to 1, so q = p: g = [0, -1/0.3, 0] and sum_c g_c q_c = -1
    expectClose(categoricalCrossEntropy.grad([0.2, 0.3, 0.5], [0, 1, 0]), [1, 1 - 1 / 0.3, 1]);
    const p = [0.1, 0.3, 0.2];
    const t = [0.2, 0.5, 0.3];
    const f = (x: number[]) => categoricalCrossEntropy(x, t, { labelSmoothing: 0.1 });
    expectClose(categoricalCrossEntropy.grad(p, t, { labelSmoothing: 0.1 }), numericGrad(f, p), 1e-8);
  });

  it('has zero gradient where the clip is active', () => {
    expectClose(categoricalCrossEntropy.grad([0, 1], [1, 0]), [0, 0]);
  });

  it('computes the value and gradient together in one pass', () => {
    const both = categoricalCrossEntropy.valueAndGrad(
      [
        [0.2, 0.8],
        [0.6, 0.4],
      ],
      [
        [0, 1],
        [1, 0],
      ],
    );
    expect(both.value).toBe(
      categoricalCrossEntropy(
        [
          [0.2, 0.8],
          [0.6, 0.4],
        ],
        [
          [0, 1],
          [1, 0],
        ],
      ),
    );
    expect(both.grad).toEqual(
      categoricalCrossEntropy.grad(
        [
          [0.2, 0.8],
          [0.6, 0.4],
        ],
        [
          [0, 1],
          [1, 0],
        ],
      ),
    );
  });

  it('rejects rows summing to 0, probabilities outside [0, 1] and a target of another shape', () => {
    expect(() =>
      categoricalCrossEntropy(
        [
          [0.5, 0.5],
          [0, 0],
        ],
        [
          [1, 0],
          [0, 1],
        ],
      ),
    ).toThrow('categoricalCrossEntropy: the sum of input row 1 must be > 0 (each row is divided by its sum), got 0');
    expect(() => categoricalCrossEntropy([[0.5, 1.5]], [[1, 0]])).toThrow('categoricalCrossEntropy: input[1] must be a probability in [0, 1], got 1.5');
    expect(() => categoricalCrossEntropy([[0.5, 0.5]], [0])).toThrow('categoricalCrossEntropy: target must be of shape [1,2] like input, got shape [1]');
  });
});

describe('categoricalCrossEntropy on confident rows', () => {
  it('takes -log(p / Σp) at the largest p from the other classes: log1p(Σ_others / p)', () => {
    const v = categoricalCrossEntropy([[0.99999, 3e-6, 7e-6]], [[1, 0, 0]]);
    expect(Math.abs(v - Math.log1p((3e-6 + 7e-6) / 0.99999))).toBeLessThan(1e-15 * v);
    const g = categoricalCrossEntropy.grad<number[][]>([[0.99999, 3e-6, 7e-6]], [[1, 0, 0]]);
    // -t ρ / p / Σp at the top, 1 / Σp elsewhere (Σp = 1 + 1e-5 - 1e-5 = 1.00000, ρ = 1e-5)
    expect(Math.abs(g[0]![0]! + 1e-5 / 0.99999 / 1)).toBeLessThan(1e-15);
  });

  it('from logits, keeps a confident row: [[0, 40]] with target [0, 1] is log1p(e^-40)', () => {
    expect(categoricalCrossEntropy([[0, 40]], [[0, 1]], { fromLogits: true })).toBe(Math.log1p(Math.exp(-40)));
  });

  it('rejects a row summing to a subnormal: its gradient (∝ 1 / Σp) exceeds float64', () => {
    expect(() => categoricalCrossEntropy.grad([[1e-320, 1e-320, 1e-320]], [[1, 0, 0]])).toThrow(
      /categoricalCrossEntropy: the gradient at input\[0\] must be finite, got -Infinity/,
    );
    expect(categoricalCrossEntropy([[1e-320, 1e-320, 1e-320]], [[1, 0, 0]])).toBeCloseTo(Math.log(3), 15);
  });

  it('writes every element of a NaN-filled out, on probabilities and from logits', () => {
    const x = { data: Float64Array.from([0.2, 0.3, 0.5, 0.6, 0.1, 0.3]), shape: [2, 3] };
    const t = [
      [0, 0, 1],
      [1, 0, 0],
    ];
    for (const fromLogits of [false, true]) {
      const fresh = categoricalCrossEntropy.grad(x, t, { fromLogits }).data;
      const out = new Float32Array(6).fill(NaN);
      categoricalCrossEntropy.grad(x, t, { fromLogits, out });
      expect(Array.from(out)).toEqual(Array.from(Float32Array.from(fresh)));
    }
  });
});
