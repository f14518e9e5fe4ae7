import { describe, expect, it } from 'vitest';
import { crossEntropy } from '../../src';
import { useWasmKernels } from '../../src/core/math/wasmKernels';
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

const tensor = (rows: number[][], Kind: typeof Float64Array | typeof Float32Array = Float64Array) => ({ data: Kind.from(rows.flat()), shape: [rows.length, rows[0]!.length] });

const lse = (xs: number[]) => Math.log(xs.reduce((s, v) => s + Math.exp(v), 0));

describe('crossEntropy', () => {
  it('is -log softmax at the target class, averaged over the batch', () => {
    const logits = [
      [2, 1, 0.1],
      [0.5, 2.5, 0.3],
    ];
    const expected = (lse(logits[0]!) - 2 + (lse(logits[1]!) - 2.5)) / 2;
    expectClose(crossEntropy(logits, [0, 1]), expected);
  });

  it('accepts a single sample as a [C] vector with a bare class index', () => {
    expectClose(crossEntropy([2, 1, 0.1], 0), lse([2, 1, 0.1]) - 2);
  });

  it('weights the mean by the target classes weights and skips ignoreIndex', () => {
    const logits = [
      [1, 2],
      [3, 1],
      [0, 0],
    ];
    const l0 = lse([1, 2]) - 1;
    const l1 = lse([3, 1]) - 1;
    expectClose(crossEntropy(logits, [0, 1, -100], { weight: [2, 3] }), (2 * l0 + 3 * l1) / (2 + 3));
  });

  it('has gradient softmax(x) - onehot(y), over the batch size for mean', () => {
    const p = 1 / (1 + Math.exp(-1));
    expectClose(crossEntropy.grad([[1, 0]], [1]), [[p, -p]]);
  });

  it('stays finite for logits of +-1e4', () => {
    expect(crossEntropy([[1e4, -1e4]], [1])).toBe(2e4);
    expectClose(crossEntropy.grad([[1e4, -1e4]], [1]), [[1, -1]]);
  });

  it('takes probability targets of the input shape', () => {
    const t = [0.25, 0.75];
    expectClose(crossEntropy([1, 0], t), -(0.25 * (1 - lse([1, 0])) + 0.75 * (0 - lse([1, 0]))));
  });

  it('rejects a class index out of range', () => {
    expect(() => crossEntropy([[1, 2]], [2])).toThrow('crossEntropy: target[0] must be a class index in [0, 2) or ignoreIndex -100, got 2');
  });
});

describe('crossEntropy.valueAndGrad', () => {
  it('gives the same value and gradient as the separate calls, in one pass', () => {
    const logits = [
      [2, 1, 0.1],
      [0.5, 2.5, 0.3],
    ];
    const both = crossEntropy.valueAndGrad(logits, [0, 2], { labelSmoothing: 0.1 });
    expect(both.value).toBe(crossEntropy(logits, [0, 2], { labelSmoothing: 0.1 }));
    expect(both.grad).toEqual(crossEntropy.grad(logits, [0, 2], { labelSmoothing: 0.1 }));
  });
});

describe('crossEntropy on confident rows and large logits', () => {
  const t = Math.exp(-40);

  it('keeps every digit of a confident loss: [[0, 40]] is log1p(e^-40), not 0', () => {
    expectRelative(crossEntropy([[0, 40]], [1], { reduction: 'none' }), [Math.log1p(t)]);
    expectRelative(crossEntropy([[40, 0, 0]], [0]), Math.log1p(2 * t));
  });

  it('gives the confident row its gradient at the target, -(1 - p) = -t / (1 + t), not 0', () => {
    expectRelative(crossEntropy.grad([[0, 40]], [1]), [[t / (1 + t), -t / (1 + t)]]);
  });

  it('gives ln 2 for equal logits offset by 1e16, and ln 2 + 2 for a gap of 2 at that offset', () => {
    expect(crossEntropy([[1e16, 1e16]], [0])).toBe(Math.LN2);
    expectRelative(crossEntropy([[1e16, 1e16 + 2]], [0]), 2 + Math.log1p(Math.exp(-2)));
  });

  it('counts ties at the max: three equal logits give ln 3 and 1 - p = 2/3', () => {
    expectRelative(crossEntropy([[5, 5, 5]], [1]), Math.log(3));
    expectRelative(crossEntropy.grad([[5, 5, 5]], [1]), [[1 / 3, -2 / 3, 1 / 3]]);
  });

  it('throws rather than return Infinity when the loss itself exceeds float64, with a finite gradient', () => {
    expect(() => crossEntropy([[1e308, -1e308]], [1])).toThrow('crossEntropy: the loss must be finite, got Infinity');
    expect(crossEntropy.grad([[1e308, -1e308]], [1])).toEqual([[1, -1]]);
  });
});

describe('crossEntropy writes every element of out', () => {
  const x = [
    [2, 1, 0.1],
    [0.5, 2.5, 0.3],
    [1, -1, 4],
  ];
  const cases = [
    { what: 'class indices', target: [0, 2, 1], options: {} },
    { what: 'an ignored row', target: [0, -100, 1], options: {} },
    { what: 'weights, smoothing and an ignored row', target: [0, -100, 1], options: { weight: [1, 2, 3], labelSmoothing: 0.1 } },
    {
      what: 'probability targets',
      target: [
        [0.2, 0.3, 0.5],
        [1, 0, 0],
        [0.5, 0.5, 0],
      ],
      options: {},
    },
  ];
  for (const { what, target, options } of cases) {
    it(`with ${what}, into NaN-filled float64 and float32 buffers`, () => {
      const fresh = crossEntropy.grad(tensor(x), target, options).data;
      for (const Kind of [Float64Array, Float32Array]) {
        const out = new Kind(9).fill(NaN);
        crossEntropy.valueAndGrad(tensor(x), target, { ...options, out });
        expect(Array.from(out)).toEqual(Array.from(Kind.from(fresh)));
      }
    });
  }

  it('gives an ignored row 0 and a zero gradient row', () => {
    const both = crossEntropy.valueAndGrad(x, [0, -100, 1], { reduction: 'none' });
    expect((both.value as Float64Array)[1]).toBe(0);
    expect(both.grad[1]).toEqual([0, 0, 0]);
  });
});

describe('crossEntropy with weights, smoothing and probability targets', () => {
  const x = [0.5, -1.25, 2];
  const logp = x.map((v) => v - Math.log(x.reduce((s, u) => s + Math.exp(u), 0)));
  const p = logp.map(Math.exp);

  it('smooths a class target as (1 - ε) onehot + ε / C, weighted per class', () => {
    const w = [1, 2, 3];
    const eps = 0.1;
    const omega = w.map((wc, c) => wc * ((c === 2 ? 1 - eps : 0) + eps / 3));
    const W = omega.reduce((s, v) => s + v, 0);
    const both = crossEntropy.valueAndGrad(x, 2, { weight: w, labelSmoothing: eps, reduction: 'sum' });
    expectClose(both.value, -omega.reduce((s, o, c) => s + o * logp[c]!, 0), 1e-14);
    expectClose(
      both.grad,
      p.map((pc, c) => W * pc - omega[c]!),
      1e-14,
    );
  });

  it('takes probability targets, with gradient softmax(x) Σt - t', () => {
    const target = [0.25, 0.25, 0.5];
    expectClose(crossEntropy(x, target), -target.reduce((s, tc, c) => s + tc * logp[c]!, 0), 1e-14);
    expectClose(
      crossEntropy.grad(x, target),
      p.map((pc, c) => pc - target[c]!),
      1e-14,
    );
  });

  it('gives a confident probability row its digits too', () => {
    const t = Math.exp(-40);
    expectRelative(crossEntropy([[0, 40]], [[0, 1]], { reduction: 'none' }), [Math.log1p(t)]);
    expectRelative(crossEntropy.grad([[0, 40]], [[0, 1]]), [[t / (1 + t), -t / (1 + t)]]);
  });

  it('recomputes a gradient that cancels (target = fl(softmax)) in double-double: p - fl(p), not 0', () => {
    const g = crossEntropy.grad<number[][]>([x], [p]);
    // |p_c - fl(p_c)| is at most half an ulp of p_c, and the three differences sum to Σp - Σfl(p)
    g[0]!.forEach((v, c) => expect(Math.abs(v)).toBeLessThanOrEqual(Number.EPSILON * p[c]!));
    expect(g[0]!.some((v) => v !== 0)).toBe(true);
  });
});

describe('crossEntropy on float32 and float64 logits', () => {
  it('agrees to float32 rounding of the inputs: the same logits give the same loss and gradient', () => {
    const rows = 50;
    const cols = 40;
    const data = Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => Math.fround(Math.sin(r * cols + c) * 6)));
    const labels = Array.from({ length: rows }, (_, r) => (r * 7) % cols);
    for (const on of [true, false]) {
      useWasmKernels(on);
      const f32 = crossEntropy.valueAndGrad(tensor(data, Float32Array), labels, { out: new Float32Array(rows * cols) });
      const f64 = crossEntropy.valueAndGrad(tensor(data), labels);
      // the float32 logits are exactly the float64 ones, so the float64 work is the same
      expect(f32.value).toBe(f64.value);
      expect(Array.from(f32.grad)).toEqual(Array.from(Float32Array.from(f64.grad.data)));
    }
    useWasmKernels(true);
  });
});
