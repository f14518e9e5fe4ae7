import { describe, expect, it } from 'vitest';
import { cosineSimilarity as cs } from '../../src';
import { expectClose, flatten } from '../helpers/close';

const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);
const norm = (a: number[]) => Math.sqrt(dot(a, a));

function numericGrad(f: (x: number[]) => number, x: number[], h = 1e-6): number[] {
  return x.map((_, i) => {
    const up = x.slice();
    const down = x.slice();
    up[i]! += h;
    down[i]! -= h;
    return (f(up) - f(down)) / (2 * h);
  });
}

describe('cosineSimilarity', () => {
  it("is minus the cosine of each row pair, averaged: Keras's docstring example gives [-0, -1, 1]", () => {
    const input = [
      [1, 0],
      [1, 1],
      [-1, -1],
    ];
    const target = [
      [0, 1],
      [1, 1],
      [1, 1],
    ];
    expectClose(cs(input, target, { reduction: 'none' }), [0, -1, 1]);
    expectClose(cs(input, target), 0);
    expectClose(cs(input, target, { reduction: 'sum' }), 0);
    expect(cs([3, 4], [4, 3])).toBe(-24 / 25);
    const a = [0.3, -1.2, 2.5];
    const b = [1.1, 0.4, -0.7];
    expectClose(cs(a, b), -dot(a, b) / (norm(a) * norm(b)));
  });

  it('floors each norm at 1e-7, as Keras: a zero vector has cosine 0, a tiny one is divided by 1e-7', () => {
    expect(cs([0, 0], [1, 2])).toBe(0);
    expectClose(cs([1e-8, 0], [1, 0]), -1e-8 / 1e-7, 1e-15);
    expectClose(cs([1e-8, 0], [2e-8, 0]), -(1e-8 * 2e-8) / (1e-7 * 1e-7), 1e-15);
    expectClose(cs.grad([0, 0], [3, 4]), [-0.6 / 1e-7, -0.8 / 1e-7]);
  });

  it('has gradient -(b - (a.b / |a|^2) a) / (|a| |b|), the component of b orthogonal to a', () => {
    const a = [0.3, -1.2, 2.5];
    const b = [1.1, 0.4, -0.7];
    const c = dot(a, b) / dot(a, a);
    expectClose(
      cs.grad(a, b),
      b.map((v, i) => -(v - c * a[i]!) / (norm(a) * norm(b))),
    );
    expectClose(cs.grad([a, b], [b, a], { reduction: 'sum' }), [numericGrad((v) => cs(v, b), a), numericGrad((v) => cs(v, a), b)], 1e-8);
    expect(flatten(cs.grad([1, 2], [2, 4]))).toEqual([0, 0]);
  });

  it('keeps the digits of nearly orthogonal and nearly parallel rows', () => {
    // a.b = 1e-17 exactly, against terms of 1: a float64 dot product gives 0
    const a = [1, 1e-17, 1];
    const b = [1, 1, -1];
    expectClose(cs(a, b), -1e-17 / (Math.sqrt(2) * Math.sqrt(3)), 1e-15);
    // b = a + δ e_2: the gradient is -δ (e_2 - ...)/... of size δ, far below ulp(1)
    const d = 2 ** -40;
    const g = flatten(cs.grad([1, 0], [1, d]));
    expectClose(g[0], 0, 1e-30);
    expect(Math.abs(g[1]! / (-d / Math.hypot(1, d)) - 1)).toBeLessThan(1e-14);
  });

  it('scales rows by powers of two, so huge and tiny finite values keep their cosine', () => {
    expectClose(cs([1e300, 1e300], [2e300, 2e300]), -1, 1e-15);
    expectClose(cs([3e-300, 4e-300], [3, 4]), -(3e-300 * 3 + 4e-300 * 4) / (1e-7 * 5), 1e-15);
    expectClose(cs([1.7e308, -1.7e308], [1, 0]), -Math.SQRT1_2, 1e-15);
  });

  it('rejects inputs of other shapes', () => {
    expect(() => cs([[1, 2]], [[1, 2, 3]])).toThrow('cosineSimilarity: target must be of shape [1,2] like input, got shape [1,3]');
    expect(() => cs({ data: new Float64Array(8), shape: [2, 2, 2] }, { data: new Float64Array(8), shape: [2, 2, 2] })).toThrow(
      'cosineSimilarity: input shape must be [D] or [N, D] (one vector per row), got shape [2,2,2]',
    );
    expect(() => cs([1, 2], [1, 2], { eps: 1e-12 } as never)).toThrow('cosineSimilarity: option "eps" must be one of reduction, got an unknown option');
  });
});
