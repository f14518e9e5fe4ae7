import { describe, expect, it } from 'vitest';
import { crossEntropy, focalLoss } from '../../src';
import { expectClose, flatten } from '../helpers/close';

/** Every element within `tol` of the expected one, relative to it (exact where it is 0). */
function expectRelative(actual: unknown, expected: unknown, tol = 1e-15): void {
  const a = flatten(actual);
  const e = flatten(expected);
  expect(a.length).toBe(e.length);
  a.forEach((v, i) => {
    if (!(Math.abs(v - e[i]!) <= tol * Math.abs(e[i]!))) expect.fail(`element ${i}: got ${v}, expected ${e[i]}`);
  });
}

const softmaxAt = (xs: number[], k: number) => Math.exp(xs[k]!) / xs.reduce((s, v) => s + Math.exp(v), 0);

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

describe('focalLoss', () => {
  it('is -(1 - p_t)^2 log p_t with p_t the softmax at the target class, averaged', () => {
    const pt0 = softmaxAt([2, 1, 0.1], 0);
    const pt1 = softmaxAt([0.5, 2.5, 0.3], 2);
    const expected = (-((1 - pt0) ** 2) * Math.log(pt0) - (1 - pt1) ** 2 * Math.log(pt1)) / 2;
    expectClose(
      focalLoss(
        [
          [2, 1, 0.1],
          [0.5, 2.5, 0.3],
        ],
        [0, 2],
      ),
      expected,
    );
  });

  it('equals crossEntropy exactly at gamma 0 without alpha', () => {
    const logits = [
      [2, 1, 0.1],
      [0.5, 2.5, 0.3],
      [-1, 0, 4],
    ];
    expect(focalLoss(logits, [0, 2, 1], { gamma: 0 })).toBe(crossEntropy(logits, [0, 2, 1]));
    expect(focalLoss.grad(logits, [0, 2, 1], { gamma: 0 })).toEqual(crossEntropy.grad(logits, [0, 2, 1]));
  });

  it('weights each sample by alpha of its class and divides the mean by N, not by the alphas', () => {
    const pt = softmaxAt([1, 0], 1);
    const l0 = -0.25 * (1 - (1 - pt)) ** 2 * Math.log(1 - pt);
    const l1 = -0.75 * (1 - pt) ** 2 * Math.log(pt);
    expectClose(
      focalLoss(
        [
          [1, 0],
          [1, 0],
        ],
        [0, 1],
        { alpha: [0.25, 0.75] },
      ),
      (l0 + l1) / 2,
    );
  });

  it('has gradient G (softmax(x) - onehot(y)), G = alpha [(1 - p_t)^g - g (1 - p_t)^(g-1) p_t log p_t]', () => {
    const x = [0.3, -1.2, 2];
    const pt = softmaxAt(x, 0);
    const G = (1 - pt) ** 2 - 2 * (1 - pt) * pt * Math.log(pt);
    expectClose(focalLoss.grad(x, 0), [G * (pt - 1), G * softmaxAt(x, 1), G * softmaxAt(x, 2)]);
    for (const options of [{ gamma: 0.5 }, { gamma: 3, alpha: [0.2, 0.5, 0.3] }]) {
      const f = (v: number[]) => focalLoss(v, 2, options);
      expectClose(focalLoss.grad(x, 2, options), numericGrad(f, x), 1e-8);
    }
  });

  it('stays finite for logits of +-1e4, also for gamma below 1 at p_t = 1', () => {
    expect(focalLoss([[1e4, -1e4]], [1], { gamma: 0 })).toBe(2e4);
    expectClose(focalLoss.grad([[1e4, -1e4]], [0], { gamma: 0.5 }), [[0, 0]]);
    expectClose(focalLoss.grad([[1e4, -1e4]], [1]), [[1, -1]]);
  });

  it("gives the source post's FocalLoss value, whose scalar alpha means [alpha, 1 - alpha]", () => {
    // seed 004: logpt = log_softmax(x)[y] * at; loss = -(1 - pt)^gamma * logpt with pt from before
    const x = [
      [0.2, 1.1],
      [2, -0.5],
    ];
    const y = [1, 0];
    const at = [0.75, 0.25];
    const seed = y.map((k, i) => {
      const pt = softmaxAt(x[i]!, k);
      return -((1 - pt) ** 2) * (Math.log(pt) * at[i]!);
    });
    expectClose(focalLoss(x, y, { alpha: [0.25, 0.75] }), (seed[0]! + seed[1]!) / 2);
  });

  it('computes the value and gradient together in one pass', () => {
    const both = focalLoss.valueAndGrad([[2, 1, 0.1]], [1], { gamma: 1.5 });
    expect(both.value).toBe(focalLoss([[2, 1, 0.1]], [1], { gamma: 1.5 }));
    expect(both.grad).toEqual(focalLoss.grad([[2, 1, 0.1]], [1], { gamma: 1.5 }));
  });

  it('rejects an alpha of the wrong length or a bare number, and class indices out of range', () => {
    expect(() => focalLoss([[1, 2, 3]], [0], { alpha: [0.5, 0.5] })).toThrow('focalLoss: options.alpha must be 3 values, one per class, got 2');
    expect(() => focalLoss([[1, 2]], [0], { alpha: 0.25 as unknown as number[] })).toThrow('focalLoss: options.alpha must be an array of numbers, got 0.25');
    expect(() => focalLoss([[1, 2]], [2])).toThrow('focalLoss: target[0] must be a class index in [0, 2), got 2');
  });
});

describe('focalLoss on confident rows', () => {
  // [[0, 40]] with target 1: 1 - p_t = t / (1 + t) with t = e^-40, -log p_t = log1p(t)
  const t = Math.exp(-40);
  const q = t / (1 + t);
  const L = Math.log1p(t);

  it('takes (1 - p_t)^gamma from the other classes, not from 1 - p_t (which is 0 here)', () => {
    expectRelative(focalLoss([[0, 40]], [1], { reduction: 'none' }), [q ** 2 * L], 1e-14);
    expectRelative(focalLoss([[0, 40]], [1], { gamma: 0.5, reduction: 'none' }), [Math.sqrt(q) * L], 1e-14);
  });

  it('gives the gradient G (p - onehot) with G = q^gamma [1 + gamma p_t (-log p_t) / q]', () => {
    for (const gamma of [2, 0.5, 0.01]) {
      const G = q ** gamma * (1 + gamma * (1 - q) * (L / q));
      expectRelative(focalLoss.grad([[0, 40]], [1], { gamma }), [[G * q, -G * q]], 1e-14);
    }
  });

  it('stays finite for gamma 0.01 where the other classes underflow to subnormals (logits near ±740)', () => {
    const g = focalLoss.grad<number[][]>(
      [
        [740, -740, 0],
        [-740, 740, 1e-3],
      ],
      [0, 0],
      { gamma: 0.01 },
    );
    expect(g.flat().every(Number.isFinite)).toBe(true);
    const v = focalLoss(
      [
        [740, -740, 0],
        [-740, 740, 1e-3],
      ],
      [0, 1],
      { gamma: 0.01, reduction: 'none' },
    );
    expect(Array.from(v).every(Number.isFinite)).toBe(true);
  });

  it('writes every element of a NaN-filled out, float64 and float32', () => {
    const x = { data: Float64Array.from([2, 1, 0.1, 0.5, 2.5, 0.3]), shape: [2, 3] };
    const fresh = focalLoss.grad(x, [0, 2], { gamma: 1.5 }).data;
    for (const Kind of [Float64Array, Float32Array]) {
      const out = new Kind(6).fill(NaN);
      focalLoss.grad(x, [0, 2], { gamma: 1.5, out });
      expect(Array.from(out)).toEqual(Array.from(Kind.from(fresh)));
    }
  });
});
