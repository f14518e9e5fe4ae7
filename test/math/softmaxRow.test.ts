import { describe, expect, it } from 'vitest';
import { logSoftmax, logSumExp, softmax } from '../../src';
import { ddExp, ddLog } from '../../src/core/math/doubleDouble';
import { logRowSum, restOf, ROW_MAX, ROW_REST, softmaxRow } from '../../src/core/math/rowKernels';
import { compensated, twoSumError } from '../../src/core/math/twoSum';

const row = (x: number[]) => {
  const dst = new Float64Array(x.length);
  const stats = new Float64Array(2);
  const s = softmaxRow(Float64Array.from(x), 0, x.length, dst, 0, stats);
  return { s, e: Array.from(dst), m: stats[ROW_MAX]!, t: stats[ROW_REST]!, stats };
};

describe('the softmax row kernel', () => {
  it("returns the max m, s = Σ e^(x - m) and t = s - 1, the sum without one max's exact 1", () => {
    const r = row([1, 3, 0, 3]);
    expect(r.m).toBe(3);
    expect(r.t).toBe(1 + (Math.exp(-2) + Math.exp(-3)));
    // s and t come from the same compensated sum: within an ulp of each other's 1 + t
    expect(Math.abs(r.s - (1 + r.t))).toBeLessThanOrEqual(Number.EPSILON * r.s);
    expect(r.e).toEqual([Math.exp(-2), 1, Math.exp(-3), 1]);
  });

  it('keeps a t far below ulp(1): [0, 40] has t = e^-40 and log s = log1p(t)', () => {
    const r = row([0, 40]);
    expect(r.t).toBe(Math.exp(-40));
    expect(logRowSum(r.stats)).toBe(Math.log1p(Math.exp(-40)));
  });

  it('gives 1 - p_k as the other classes sum, t at the max and s - e_k below it', () => {
    const r = row([0, 40, 1]);
    expect(restOf(r.stats, r.s, 40, 1)).toBe(r.t);
    expect(restOf(r.stats, r.s, 0, r.e[0]!)).toBe(r.s - r.e[0]!);
  });

  it('signals NaN for a NaN or ±Infinity anywhere in the row (the callers then name it)', () => {
    for (const bad of [NaN, Infinity, -Infinity]) expect(row([0, bad, 1]).s).toBeNaN();
    expect(row([NaN, NaN]).s).toBeNaN();
  });

  it('takes rows whose exponents pass -708 with the clamped exp, and rows spanning more than float64', () => {
    expect(row([0, -800, -1]).t).toBe(Math.exp(-1));
    expect(row([1e308, -1e308]).t).toBe(0);
  });

  it('sums a long row compensated: 5000 terms to within 1e-15, where a plain sum drifts', () => {
    const x = Array.from({ length: 5000 }, (_, j) => Math.sin(j * 0.37) * 20);
    const r = row(x);
    // the same terms but the max's 1, summed in order of size from the smallest, compensated
    const terms = r.e.filter((_, j) => x[j]! < r.m).sort((a, b) => a - b);
    let hi = 0;
    let lo = 0;
    for (const v of terms) {
      const s = hi + v;
      lo += twoSumError(hi, v, s);
      hi = s;
    }
    expect(Math.abs(r.t - (hi + lo))).toBeLessThanOrEqual(Number.EPSILON * r.t);
  });

  it('gives the same statistics for float32 data as for the same values in float64', () => {
    const x = Array.from({ length: 37 }, (_, j) => Math.fround(Math.cos(j) * 5));
    const a = new Float64Array(2);
    const b = new Float64Array(2);
    const d1 = new Float64Array(37);
    const d2 = new Float64Array(37);
    const s1 = softmaxRow(Float32Array.from(x), 0, 37, d1, 0, a);
    const s2 = softmaxRow(Float64Array.from(x), 0, 37, d2, 0, b);
    expect(s1).toBe(s2);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(d1)).toEqual(Array.from(d2));
  });
});

describe('twoSum and double-double', () => {
  it('twoSumError gives the rounding error of an addition exactly', () => {
    // fl(1e16 + 3.5) = 1e16 + 4 (the doubles there are 2 apart): the error is -0.5
    expect(twoSumError(1e16, 3.5, 1e16 + 3.5)).toBe(-0.5);
    expect(compensated(Infinity, NaN)).toBe(Infinity);
  });

  it('ddExp and ddLog are inverse to ~2^-100: log(exp(x)) = x for x in [-600, 700] (below, e^x has no room for a lo part)', () => {
    for (const x of [-600, -40, -1, -1e-10, 0.5, 3, 700]) {
      const back = ddLog(ddExp({ hi: x, lo: 0 }));
      expect(Math.abs(back.hi - x + back.lo)).toBeLessThanOrEqual(2 ** -100 * Math.max(1, Math.abs(x)));
    }
  });
});

describe('softmax, logSoftmax and logSumExp', () => {
  it('are finite on logits of any finite size', () => {
    expect(softmax([1e308, -1e308])).toEqual([1, 0]);
    expect(logSoftmax([0, -1e308])).toEqual([0, -1e308]);
    expect(logSumExp([1.7e308, 1.7e308, 1.7e308])).toBe(1.7e308);
  });

  it('keep a confident row: logSoftmax([40, 0])[0] = -log1p(e^-40), logSumExp([0, -40]) = log1p(e^-40)', () => {
    expect(logSoftmax([40, 0])).toEqual([-Math.log1p(Math.exp(-40)), -40 - Math.log1p(Math.exp(-40))]);
    expect(logSumExp([0, -40])).toBe(Math.log1p(Math.exp(-40)));
  });

  it('give ln 2 and ±1/2 for equal logits offset by 1e16', () => {
    expect(logSumExp([1e16, 1e16])).toBe(1e16);
    expect(logSoftmax([1e16, 1e16])).toEqual([-Math.LN2, -Math.LN2]);
    expect(softmax([1e16, 1e16])).toEqual([0.5, 0.5]);
  });

  it('throw when a log-probability itself exceeds float64', () => {
    expect(() => logSoftmax([1e308, -1e308])).toThrow('logSoftmax: logSoftmax(x)[1] must be finite, got -Infinity');
  });

  it('logSumExp recomputes a result that cancels in double-double: [-ln 2, -ln 2] gives ln 2 - fl(ln 2)', () => {
    // fl(ln 2) is below ln 2 by 2.3190468138462996e-17 (ln 2's next double part)
    expect(logSumExp([-Math.LN2, -Math.LN2])).toBe(2.3190468138462996e-17);
  });

  it('reject rank-0 input and NaN or ±Infinity, naming the element', () => {
    const rank0 = { data: new Float64Array([1]), shape: [] as number[] };
    for (const [name, f] of [
      ['softmax', softmax],
      ['logSoftmax', logSoftmax],
      ['logSumExp', logSumExp],
    ] as const) {
      const call = f as (x: unknown) => unknown;
      expect(() => call(rank0)).toThrow(`${name}: x shape must be [C] or [N, C] (class scores on the last axis), got shape []`);
      expect(() => call([0.5, -Infinity])).toThrow(`${name}: x[1] must be a finite number, got -Infinity`);
      expect(() => call(new Float32Array([NaN, 0.5]))).toThrow(`${name}: x[0] must be a finite number, got NaN`);
    }
  });
});

describe('logSumExp.grad and logSumExp.valueAndGrad', () => {
  it('the gradient is the softmax, shaped like x', () => {
    expect(logSumExp.grad([0, 0])).toEqual([0.5, 0.5]);
    expect(
      logSumExp.grad([
        [1, 2, 3],
        [0, 0, 0],
      ]),
    ).toEqual([softmax([1, 2, 3]), softmax([0, 0, 0])]);
    const t = logSumExp.grad({ data: new Float32Array([0, 0]), shape: [1, 2] });
    expect(t.shape).toEqual([1, 2]);
    expect(Array.from(t.data)).toEqual([0.5, 0.5]);
  });

  it("for a batch, is the gradient of the sum of the row values (each row's softmax)", () => {
    const x = [
      [0.3, -1],
      [2, 2.5],
    ];
    const h = 1e-6;
    const sum = (v: number[][]) => logSumExp(v).reduce((a, b) => a + b, 0);
    const g = logSumExp.grad(x);
    const up = x.map((r) => r.slice());
    const down = x.map((r) => r.slice());
    up[1]![0]! += h;
    down[1]![0]! -= h;
    expect(Math.abs(g[1]![0]! - (sum(up) - sum(down)) / (2 * h))).toBeLessThan(1e-8);
  });

  it('valueAndGrad gives logSumExp(x) and logSumExp.grad(x) from one pass', () => {
    const x = [
      [0.3, -1, 4],
      [2, 2.5, -7],
    ];
    const both = logSumExp.valueAndGrad(x);
    expect(both.value).toEqual(logSumExp(x));
    expect(both.grad).toEqual(logSumExp.grad(x));
    expect(logSumExp.valueAndGrad([0, 0])).toEqual({ value: Math.LN2, grad: [0.5, 0.5] });
  });

  it('keeps the call signatures: a number for 1-D x, one value per row for a batch', () => {
    expect(logSumExp([1000, 1000])).toBe(1000 + Math.LN2);
    expect(
      logSumExp([
        [0, 0],
        [1, 1],
      ]),
    ).toEqual(Float64Array.from([Math.LN2, 1 + Math.LN2]));
  });
});
