import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ctcLoss, logSoftmax, LossInputError } from '../../src';
import { expectClose, flatten } from '../helpers/close';

const ln = Math.log;

/** Every path of T frames over C classes, as class lists (C^T of them). */
function paths(T: number, C: number): number[][] {
  let out: number[][] = [[]];
  for (let t = 0; t < T; t++) out = out.flatMap((p) => Array.from({ length: C }, (_, k) => [...p, k]));
  return out;
}

/** B(π): merge repeats, then drop blanks. */
function collapse(path: number[], blank: number): number[] {
  return path.filter((k, t) => k !== blank && (t === 0 || path[t - 1] !== k));
}

/**
 * The loss by enumeration: -log of the summed probability of every path that collapses to the
 * target, and its exact gradient -Σ_{π: π_t = k} P(π) / Σ P.
 */
function bruteForce(lp: number[][], target: number[], blank = 0): { value: number; grad: number[][] } {
  const C = lp[0]!.length;
  let total = 0;
  const mass = lp.map((row) => row.map(() => 0));
  for (const path of paths(lp.length, C)) {
    if (collapse(path, blank).join() !== target.join()) continue;
    const p = Math.exp(path.reduce((s, k, t) => s + lp[t]![k]!, 0));
    total += p;
    path.forEach((k, t) => (mass[t]![k]! += p));
  }
  return { value: -ln(total), grad: mass.map((row) => row.map((m) => -m / total)) };
}

/** Central differences of the (reduced) loss in each logProbs element. */
function finiteDifferences(f: (lp: number[][]) => number, lp: number[][], h = 1e-6): number[][] {
  return lp.map((row, t) =>
    row.map((_, k) => {
      const at = (d: number) => f(lp.map((r, u) => r.map((v, j) => (u === t && j === k ? v + d : v))));
      return (at(h) - at(-h)) / (2 * h);
    }),
  );
}

const frames = (T: number, C: number, seed: number) =>
  logSoftmax(Array.from({ length: T }, (_, t) => Array.from({ length: C }, (_, k) => Math.sin(seed * 7.3 + t * 1.7 + k * 2.9) * 2)));

describe('ctcLoss against enumeration of every alignment', () => {
  const lp = frames(5, 3, 1);
  it.each([[[1]], [[1, 2]], [[2, 2]], [[1, 2, 1]], [[2, 1, 1]], [[]]])('target %j: -log of the summed path probabilities, and its gradient', (target) => {
    const exact = bruteForce(lp, target);
    expectClose(ctcLoss(lp, target, 5, target.length, { reduction: 'sum' }), exact.value, 1e-13);
    expectClose(ctcLoss.grad(lp, target, 5, target.length, { reduction: 'sum' }), exact.grad, 1e-13);
    const fd = finiteDifferences((x) => ctcLoss(x, target, 5, target.length, { reduction: 'sum' }), lp);
    expectClose(ctcLoss.grad(lp, target, 5, target.length, { reduction: 'sum' }), fd, 1e-7);
  });

  it('with the blank at the last class, and log-probabilities that are not normalized', () => {
    const raw = frames(4, 3, 2).map((row) => row.map((v) => v - 0.4));
    const exact = bruteForce(raw, [0, 1], 2);
    const options = { blank: 2, reduction: 'sum' as const };
    expectClose(ctcLoss(raw, [0, 1], 4, 2, options), exact.value, 1e-13);
    expectClose(ctcLoss.grad(raw, [0, 1], 4, 2, options), exact.grad, 1e-13);
    expectClose(
      ctcLoss.grad(raw, [0, 1], 4, 2, options),
      finiteDifferences((x) => ctcLoss(x, [0, 1], 4, 2, options), raw),
      1e-7,
    );
  });

  it('reads only the first inputLengths[n] frames: later frames get gradient 0', () => {
    const exact = bruteForce(lp.slice(0, 3), [1, 2]);
    expectClose(ctcLoss(lp, [1, 2], 3, 2, { reduction: 'sum' }), exact.value, 1e-13);
    expectClose(ctcLoss.grad(lp, [1, 2], 3, 2, { reduction: 'sum' }), [...exact.grad, [0, 0, 0], [0, 0, 0]], 1e-13);
  });
});

describe('ctcLoss', () => {
  it("with one path equals that path's negative log-likelihood", () => {
    // "1 1 2" needs 4 frames (a blank between the 1s): over exactly 4 the one alignment is 1 - 1 2
    const lp = frames(4, 3, 3);
    expectClose(ctcLoss(lp, [1, 1, 2], 4, 3, { reduction: 'sum' }), -(lp[0]![1]! + lp[1]![0]! + lp[2]![1]! + lp[3]![2]!), 1e-15);
    expectClose(
      ctcLoss.grad(lp, [1, 1, 2], 4, 3, { reduction: 'sum' }),
      [
        [0, -1, 0],
        [-1, 0, 0],
        [0, -1, 0],
        [0, 0, -1],
      ],
      1e-15,
    );
  });

  it('gives the documented example', () => {
    const lp = [
      [ln(0.5), ln(0.5)],
      [ln(0.5), ln(0.5)],
    ];
    expect(ctcLoss(lp, [1], 2, 1)).toBe(0.2876820724517809);
    expectClose(ctcLoss(lp, [1], 2, 1), -ln(3 / 4), 1e-16);
    expect(ctcLoss.grad(lp, [1], 2, 1)).toEqual([
      [-0.3333333333333333, -0.6666666666666666],
      [-0.3333333333333333, -0.6666666666666666],
    ]);
  });

  it("divides each loss by its target length (at least 1) for 'mean', then averages", () => {
    const batch = [0, 1, 2, 3].map((t) => [frames(4, 3, 5)[t]!, frames(4, 3, 6)[t]!]);
    const none = ctcLoss(
      batch,
      [
        [1, 2],
        [0, 0],
      ],
      [4, 4],
      [2, 0],
      { reduction: 'none' },
    );
    expectClose(
      ctcLoss(
        batch,
        [
          [1, 2],
          [0, 0],
        ],
        [4, 4],
        [2, 0],
      ),
      (none[0]! / 2 + none[1]! / 1) / 2,
      1e-15,
    );
    expectClose(
      ctcLoss(
        batch,
        [
          [1, 2],
          [0, 0],
        ],
        [4, 4],
        [2, 0],
        { reduction: 'sum' },
      ),
      none[0]! + none[1]!,
      1e-15,
    );
    // an empty target: the all-blank path
    expectClose(none[1]!, -batch.reduce((s, frame) => s + frame[1]![0]!, 0), 1e-15);
  });

  it("has 'none''s gradient the gradient of the sum, and 'mean''s scaled by 1 / (N max(L_n, 1))", () => {
    const batch = [0, 1, 2, 3].map((t) => [frames(4, 3, 5)[t]!, frames(4, 3, 6)[t]!]);
    const args = [
      batch,
      [
        [1, 2],
        [0, 0],
      ],
      [4, 4],
      [2, 0],
    ] as const;
    const sum = flatten(ctcLoss.grad(...args, { reduction: 'sum' }));
    expect(flatten(ctcLoss.grad(...args, { reduction: 'none' }))).toEqual(sum);
    const mean = flatten(ctcLoss.grad(...args));
    expectClose(
      mean,
      sum.map((g, i) => (g * (i % 6 < 3 ? 1 / 2 : 1)) / 2),
      1e-15,
    );
  });

  it('reads padded and concatenated targets, arrays, typed arrays and tensors alike', () => {
    const T = 6;
    const lp = [...Array(T).keys()].map((t) => [frames(T, 4, 7)[t]!, frames(T, 4, 8)[t]!, frames(T, 4, 9)[t]!]);
    const tensor = { data: Float64Array.from(lp.flat(2)), shape: [T, 3, 4] };
    const reference = ctcLoss(
      lp,
      [
        [1, 2, 3],
        [3, 3, 0],
        [2, 0, 0],
      ],
      [6, 5, 4],
      [3, 2, 1],
      { reduction: 'none' },
    );
    const same = (v: unknown) => expectClose(v, reference, 1e-15);
    same(ctcLoss(lp, [1, 2, 3, 3, 3, 2], [6, 5, 4], [3, 2, 1], { reduction: 'none' }));
    same(ctcLoss(tensor, new Int32Array([1, 2, 3, 3, 3, 2]), new Int32Array([6, 5, 4]), new Uint8Array([3, 2, 1]), { reduction: 'none' }));
    same(ctcLoss(tensor, { data: new Int32Array([1, 2, 3, 3, 3, -1, 2, -1, -1]), shape: [3, 3] }, [6, 5, 4], [3, 2, 1], { reduction: 'none' }));
    const g = ctcLoss.grad(tensor, [1, 2, 3, 3, 3, 2], [6, 5, 4], [3, 2, 1]);
    expect(g.shape).toEqual([T, 3, 4]);
    expectClose(
      g.data,
      flatten(
        ctcLoss.grad(
          lp,
          [
            [1, 2, 3],
            [3, 3, 0],
            [2, 0, 0],
          ],
          [6, 5, 4],
          [3, 2, 1],
        ),
      ),
      1e-15,
    );
  });

  it('returns the gradient of nested [T, N, C] arrays as nested arrays, and fills a Float32Array out', () => {
    const lp = [[[ln(0.5), ln(0.5)]], [[ln(0.5), ln(0.5)]]];
    const g = ctcLoss.grad(lp, [[1]], [2], [1]);
    expect(g).toEqual([[[-0.3333333333333333, -0.6666666666666666]], [[-0.3333333333333333, -0.6666666666666666]]]);
    const out = new Float32Array(4).fill(NaN);
    const { value, grad } = ctcLoss.valueAndGrad({ data: Float32Array.from(lp.flat(2)), shape: [2, 1, 2] }, [1], [2], [1], { out });
    expect(grad).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(Float32Array.from(flatten(g))));
    expectClose(value, -ln(3 / 4), 1e-7);
  });
});

describe('ctcLoss reuses its buffers from call to call', () => {
  it('gives the same loss and gradient before and after calls of other sizes', () => {
    const small = [0, 1, 2, 3].map((t) => [frames(4, 3, 16)[t]!]);
    const big = [...Array(30).keys()].map((t) => [frames(30, 6, 17)[t]!, frames(30, 6, 18)[t]!]);
    const first = ctcLoss.valueAndGrad(small, [[1, 2]], [4], [2]);
    ctcLoss.valueAndGrad(
      big,
      [
        [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1, 2],
        [5, 5, 4, 4, 3, 3, 0, 0, 0, 0, 0, 0],
      ],
      [30, 24],
      [12, 6],
    );
    ctcLoss.valueAndGrad(small, [[2, 2]], [4], [2]);
    expect(ctcLoss.valueAndGrad(small, [[1, 2]], [4], [2])).toEqual(first);
  });
});

describe('ctcLoss without a valid alignment', () => {
  // sample 1's "3 3 3" needs 5 frames (two blanks between the repeats), and has 4
  const lp = [0, 1, 2, 3].map((t) => [frames(4, 4, 10)[t]!, frames(4, 4, 11)[t]!]);
  const args = [
    lp,
    [
      [1, 2, 0],
      [3, 3, 3],
    ],
    [4, 4],
    [2, 3],
  ] as const;

  it('throws naming the sample, unless zeroInfinity', () => {
    const message = 'ctcLoss: sample 1 has no valid alignment (target length 3 with 2 repeats needs at least 5 frames, input length 4); pass zeroInfinity: true to count it as 0';
    expect(() => ctcLoss(...args)).toThrow(message);
    expect(() => ctcLoss.grad(...args)).toThrow(message);
    expect(() =>
      ctcLoss(
        lp,
        [
          [1, 2, 3],
          [3, 1, 2],
        ],
        [4, 2],
        [3, 3],
      ),
    ).toThrow('ctcLoss: sample 1 has no valid alignment (target length 3 needs at least 3 frames, input length 2); pass zeroInfinity: true to count it as 0');
    expect(() =>
      ctcLoss(
        lp,
        [
          [1, 1, 0],
          [3, 1, 2],
        ],
        [2, 4],
        [2, 3],
      ),
    ).toThrow('ctcLoss: sample 0 has no valid alignment (target length 2 with 1 repeat needs at least 3 frames');
  });

  it('with zeroInfinity counts it as loss 0 with gradient 0, as PyTorch', () => {
    const options = { zeroInfinity: true, reduction: 'none' as const };
    const alone = ctcLoss(
      lp.map((frame) => [frame[0]!]),
      [[1, 2]],
      [4],
      [2],
      { reduction: 'none' },
    );
    expectClose(ctcLoss(...args, options), [alone[0]!, 0], 1e-15);
    expectClose(ctcLoss(...args, { zeroInfinity: true }), (alone[0]! / 2 + 0) / 2, 1e-15);
    const g = ctcLoss.grad(...args, options);
    expect(g.flatMap((frame) => frame[1]!)).toEqual(Array(16).fill(0));
    expectClose(
      g.map((frame) => frame[0]!),
      ctcLoss
        .grad(
          lp.map((frame) => [frame[0]!]),
          [[1, 2]],
          [4],
          [2],
          options,
        )
        .map((frame) => frame[0]!),
      1e-15,
    );
  });

  it('has, with an empty input and an empty target, the empty alignment: loss 0', () => {
    expect(
      ctcLoss(
        lp,
        [
          [1, 2],
          [0, 0],
        ],
        [4, 0],
        [2, 0],
        { reduction: 'none' },
      )[1],
    ).toBe(0);
    expect(() =>
      ctcLoss(
        lp,
        [
          [1, 2],
          [1, 0],
        ],
        [4, 0],
        [2, 1],
      ),
    ).toThrow('ctcLoss: sample 1 has no valid alignment (target length 1 needs at least 1 frame, input length 0)');
  });
});

describe('ctcLoss rejects bad arguments with a clear message', () => {
  const lp = [0, 1, 2].map((t) => [frames(3, 4, 12)[t]!, frames(3, 4, 13)[t]!]);
  const bad = (args: unknown[], message: string) => expect(() => (ctcLoss as (...a: unknown[]) => number)(...args)).toThrow(message);

  it('log-probabilities: finite, <= 0, [T, N, C] or [T, C]', () => {
    const positive = lp.map((f) => f.map((r) => r.slice()));
    positive[2]![1]![3] = 0.25;
    bad([positive, [1, 2], [3, 3], [1, 1]], 'ctcLoss: logProbs[2][1][3] must be a log-probability (<= 0), got 0.25: pass log_softmax of the scores, not the scores');
    bad([{ data: Float64Array.from(positive.flat(2)), shape: [3, 2, 4] }, [1, 2], [3, 3], [1, 1]], 'ctcLoss: logProbs[23] must be a log-probability (<= 0), got 0.25');
    const nan = lp.map((f) => f.map((r) => r.slice()));
    nan[1]![0]![2] = NaN;
    bad([nan, [1, 2], [3, 3], [1, 1]], 'ctcLoss: logProbs[1][0][2] must be a finite number, got NaN');
    bad([{ data: Float32Array.from(nan.flat(2)), shape: [3, 2, 4] }, [1, 2], [3, 3], [1, 1]], 'ctcLoss: logProbs[10] must be a finite number, got NaN');
    bad(
      [{ data: new Float64Array([-1]), shape: [1, 1, 1, 1] }, [], [1], [0]],
      'ctcLoss: logProbs shape must be [T, N, C] or [T, C] (log-probabilities on the last axis), got shape [1,1,1,1]',
    );
    bad([[-1, -2], [1], 1, 1], 'ctcLoss: logProbs shape must be [T, N, C] or [T, C] (log-probabilities on the last axis), got shape [2]');
    bad(
      [
        [lp[0], lp[1]!.slice(0, 1)],
        [1, 2],
        [2, 2],
        [1, 1],
      ],
      'ctcLoss: logProbs[1] must be 2 rows like logProbs[0], got an array of length 1',
    );
    bad([lp, [1, 2], [3, 3], [1, 1], { blank: 4 }], 'ctcLoss: options.blank must be a class index in [0, 4) (logProbs has C = 4 classes), got 4');
  });

  it('lengths: one integer per sample, inputLengths <= T, targetLengths <= S', () => {
    bad([lp, [[1], [2]], [3], [1, 1]], 'ctcLoss: inputLengths must be 2 lengths, one per sample of logProbs, got 1');
    bad([lp, [[1], [2]], 3, [1, 1]], 'ctcLoss: inputLengths must be 2 lengths, one per sample of logProbs, got a number');
    bad([lp, [[1], [2]], [3, 4], [1, 1]], 'ctcLoss: inputLengths[1] must be an integer in [0, 3] (T = 3, the frames of logProbs), got 4');
    bad([lp, [[1], [2]], [3, -1], [1, 1]], 'ctcLoss: inputLengths[1] must be an integer in [0, 3] (T = 3, the frames of logProbs), got -1');
    bad([lp, [[1], [2]], [3, 2.5], [1, 1]], 'ctcLoss: inputLengths[1] must be an integer in [0, 3] (T = 3, the frames of logProbs), got 2.5');
    bad([lp, [[1], [2]], [3, 3], [1, 2]], 'ctcLoss: targetLengths[1] must be an integer in [0, 1] (S = 1, the padded length of targets), got 2');
    bad([lp, [1, 2], [3, 3], [1, -1]], 'ctcLoss: targetLengths[1] must be an integer >= 0, got -1');
    bad([lp, [[1], [2]], [3, 3], 'two'], 'ctcLoss: targetLengths must be 2 lengths: a number or an array of integers, one per sample, got "two"');
  });

  it('targets: labels in [0, C) other than the blank; padded [N, S] or concatenated of the summed length', () => {
    bad(
      [
        lp,
        [
          [1, 0],
          [2, 4],
        ],
        [3, 3],
        [1, 2],
      ],
      'ctcLoss: targets[1][1] must be a class index in [0, 4) other than the blank 0, got 4',
    );
    bad(
      [
        lp,
        [
          [1, 0],
          [0, 2],
        ],
        [3, 3],
        [1, 2],
      ],
      'ctcLoss: targets[1][0] must be a class index in [0, 4) other than the blank 0, got 0',
    );
    bad([lp, [1, 2, 1.5], [3, 3], [1, 2]], 'ctcLoss: targets[2] must be a class index in [0, 4) other than the blank 0, got 1.5');
    bad([lp, [1, 3, 1], [3, 3], [1, 2], { blank: 3 }], 'ctcLoss: targets[1] must be a class index in [0, 4) other than the blank 3, got 3');
    bad([lp, [1, 2, 3], [3, 3], [1, 1]], 'ctcLoss: targets must be of length 2 (the sum of targetLengths) when 1-D (concatenated), got length 3');
    bad([lp, [[1, 2]], [3, 3], [1, 1]], 'ctcLoss: targets shape must be [2, S] padded (N = 2 like logProbs) or 1-D concatenated, got shape [1,2]');
    bad([lp, [[1, 2], [1]], [3, 3], [1, 1]], 'ctcLoss: targets[1] must be a row of 2 class indices like targets[0], got an array of length 1');
    bad([lp, 'ab', [3, 3], [1, 1]], 'ctcLoss: targets must be class indices: [N, S] padded or 1-D concatenated (an array, typed array or { data, shape } tensor), got "ab"');
  });

  it('every error is a LossInputError', () => {
    expect(() => ctcLoss(lp, [[1], [2]], [3, 4], [1, 1])).toThrow(LossInputError);
  });
});

describe('ctcLoss batched [T, N, C] under the hostile suites rules (the shared case is unbatched)', () => {
  const lp = [0, 1, 2].map((t) => [frames(3, 3, 14)[t]!, frames(3, 3, 15)[t]!]);
  const args = [
    [[1], [2]],
    [3, 2],
    [1, 1],
  ] as const;
  const tensor = (Kind: typeof Float64Array | typeof Float32Array) => ({ data: Kind.from(lp.flat(2)), shape: [3, 2, 3] });

  it.each([Float64Array, Float32Array])('writes every element of a NaN-filled %o out, as a fresh gradient, for each reduction', (Kind) => {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      const fresh = Array.from(Kind.from(flatten(ctcLoss.grad(tensor(Kind), ...args, { reduction }))));
      const out = new Kind(18).fill(NaN);
      expect(ctcLoss.grad(tensor(Kind), ...args, { reduction, out })).toBe(out);
      expect(Array.from(out)).toEqual(fresh);
    }
  });

  it('rejects ±Infinity, and gives finite numbers or a clear error on extreme log-probabilities', () => {
    for (const v of [Infinity, -Infinity]) {
      const x = tensor(Float64Array);
      x.data[7] = v;
      expect(() => ctcLoss(x, ...args)).toThrow(`ctcLoss: logProbs[7] must be a finite number, got ${v}`);
    }
    for (const v of [-1e300, -745, -1e-320, 0, -1.7e308]) {
      const x = tensor(Float64Array);
      x.data.fill(v, 0, 6);
      for (const reduction of ['mean', 'none'] as const) {
        try {
          const values = [...flatten(ctcLoss(x, ...args, { reduction })), ...flatten(ctcLoss.grad(x, ...args, { reduction }))];
          expect(values.every(Number.isFinite), `${v} ${reduction}`).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(LossInputError);
          expect(String(e)).toMatch(/ctcLoss: the loss( of sample \d)? must be finite, got Infinity: it overflows float64/);
        }
      }
    }
  });

  it('with zeroInfinity counts an overflowed loss as 0, as PyTorch its Infinity', () => {
    const x = tensor(Float64Array);
    x.data.fill(-1.7e308);
    expect(() => ctcLoss(x, ...args)).toThrow('ctcLoss: the loss of sample 0 must be finite, got Infinity: it overflows float64');
    expect(ctcLoss(x, ...args, { zeroInfinity: true })).toBe(0);
  });
});

interface FixtureCase {
  name: string;
  args: unknown[];
  options: Record<string, unknown>;
  value: number | number[];
  grad: unknown;
  torchGrad?: unknown;
  exact: { value: number | number[]; grad: unknown };
}
const fixture = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'torch', 'ctcLoss.json'), 'utf8')) as { cases: FixtureCase[] };

/** The largest relative error of `a` to `exact` over the elements whose exact value is a normal float64. */
function relativeError(a: number[], exact: number[]): number {
  return exact.reduce((worst, e, i) => (Math.abs(e) < 2 ** -1022 ? worst : Math.max(worst, Math.abs(a[i]! - e) / Math.abs(e))), 0);
}

/** The largest |a - exact| over the elements whose exact value is 0 or subnormal. */
function errorAtZero(a: number[], exact: number[]): number {
  return exact.reduce((worst, e, i) => (Math.abs(e) < 2 ** -1022 ? Math.max(worst, Math.abs(a[i]! - e)) : worst), 0);
}

describe('ctcLoss accuracy against the exact loss (mpmath, 50 digits: scripts/fixtures/torch_ctc_fixtures.py)', () => {
  it.each(fixture.cases.map((c) => [c.name, c] as const))('%s: value and gradient within 1e-12, no worse than PyTorch float64', (_, c) => {
    const f = ctcLoss as (...a: unknown[]) => number | Float64Array;
    const values = flatten(f(...c.args, c.options));
    const grads = flatten((ctcLoss.grad as (...a: unknown[]) => unknown)(...c.args, c.options));
    const value = relativeError(values, flatten(c.exact.value));
    const grad = relativeError(grads, flatten(c.exact.grad));
    expect(value).toBeLessThan(1e-12);
    expect(grad).toBeLessThan(1e-12);
    expect(errorAtZero(grads, flatten(c.exact.grad))).toBeLessThan(1e-300);
    // PyTorch's error on the same inputs (its gradient less its e^y term): losslab is as close or within a few ulp
    expect(value).toBeLessThanOrEqual(Math.max(relativeError(flatten(c.value), flatten(c.exact.value)), 1e-15));
    expect(grad).toBeLessThanOrEqual(Math.max(relativeError(flatten(c.grad), flatten(c.exact.grad)), 5e-15));
  });

  it("PyTorch's autograd gradient is losslab's plus e^logProbs times the reduction's scale, at the frames each sample reads", () => {
    const withTorch = fixture.cases.filter((c) => c.torchGrad);
    expect(withTorch.length).toBeGreaterThanOrEqual(3);
    for (const c of withTorch) {
      const [lp, targets, inputLengths, targetLengths] = c.args as [number[][][], number[][], number[], number[]];
      const N = lp[0]!.length;
      const zeroed = targets.map((row, n) => {
        const l = row.slice(0, targetLengths[n]);
        return l.length + l.filter((k, j) => j > 0 && l[j - 1] === k).length > inputLengths[n]!;
      });
      const mine = (ctcLoss.grad as (...a: unknown[]) => number[][][])(...c.args, c.options);
      const expected = mine.map((frame, t) =>
        frame.map((row, n) => {
          const scale = c.options.reduction === 'mean' ? 1 / (N * Math.max(targetLengths[n]!, 1)) : 1;
          return row.map((g, k) => (t < inputLengths[n]! && !zeroed[n] ? g + scale * Math.exp(lp[t]![n]![k]!) : g));
        }),
      );
      expectClose(c.torchGrad, expected, 1e-12);
    }
  });
});

/**
 * Uniform log-probabilities y = fl(-log C) in every frame: each alignment has probability e^(T y),
 * so P = A e^(T y) with A the number of alignments, and the posterior of state s at frame t is
 * the share of alignments through it, α_t(s) β_t(s) / A, all counted exactly in BigInt. T = 2048
 * makes T y exact, so the loss -T y - log A is known to about 1e-16 relative.
 */
describe('ctcLoss over 2048 frames, against exact alignment counts', () => {
  const T = 2048;
  const C = 5;
  const labels = Array.from({ length: 24 }, (_, i) => 1 + (i % 4));
  const ext = [0, ...labels.flatMap((k) => [k, 0])];
  const S = ext.length;
  const skip = ext.map((k, s) => s >= 2 && k !== 0 && k !== ext[s - 2]);
  // forward counts (alignments of frames 0..t ending in s) and backward counts (completions after t from s)
  const alpha: bigint[][] = [Array.from({ length: S }, (_, s) => (s < 2 ? 1n : 0n))];
  for (let t = 1; t < T; t++) {
    const p = alpha[t - 1]!;
    alpha.push(ext.map((_, s) => p[s]! + (s >= 1 ? p[s - 1]! : 0n) + (skip[s] ? p[s - 2]! : 0n)));
  }
  const beta: bigint[][] = new Array<bigint[]>(T);
  beta[T - 1] = ext.map((_, s) => (s >= S - 2 ? 1n : 0n));
  for (let t = T - 2; t >= 0; t--) {
    const n = beta[t + 1]!;
    beta[t] = ext.map((_, s) => n[s]! + (s + 1 < S ? n[s + 1]! : 0n) + (s + 2 < S && skip[s + 2] ? n[s + 2]! : 0n));
  }
  const total = alpha[T - 1]![S - 1]! + alpha[T - 1]![S - 2]!;
  const bits = (v: bigint) => v.toString(2).length;
  /** num / den as the nearest float64 (both > 0): a quotient of 62 bits, scaled. */
  const ratio = (num: bigint, den: bigint) => {
    const e = bits(num) - bits(den);
    const q = e >= 62 ? num / (den << BigInt(e - 62)) : (num << BigInt(62 - e)) / den;
    return Number(q) * 2 ** (e - 62);
  };
  const y = -Math.log(C);
  const logTotal = Math.log(Number(total >> BigInt(bits(total) - 64))) + (bits(total) - 64) * Math.LN2;
  const exact = -(T * y) - logTotal;

  const lp = { data: new Float64Array(T * C).fill(y), shape: [T, 1, C] };
  const { value, grad } = ctcLoss.valueAndGrad(lp, [labels], [T], [labels.length], { reduction: 'sum' });

  it('gives the loss within 4e-15 relative (α rounded to one float64 a frame drifts past 1e-14)', () => {
    expect(Math.abs((value as number) - exact) / exact).toBeLessThan(4e-15);
  });

  it('gives every posterior within 1e-12 relative (the accuracy suite bound)', () => {
    const g = flatten(grad);
    let worst = 0;
    for (let t = 0; t < T; t++) {
      for (let k = 0; k < C; k++) {
        let num = 0n;
        for (let s = 0; s < S; s++) if (ext[s] === k) num += alpha[t]![s]! * beta[t]![s]!;
        const want = num === 0n ? 0 : -ratio(num, total);
        const got = g[t * C + k]!;
        if (want === 0) expect(got).toBe(0);
        else worst = Math.max(worst, Math.abs(got - want) / -want);
      }
    }
    expect(worst).toBeLessThan(1e-12);
  });
});
