import { describe, expect, it } from 'vitest';
import { Linear, LossInputError, Random, mse } from '../../src';
import { expectClose } from '../helpers/close';

/** A 2 -> 3 layer with W = [[1, 2], [3, 4], [5, 6]] and b = [0.5, -1, 2]. */
function small(): Linear {
  const layer = new Linear(2, 3, new Random(0));
  layer.weight.set([1, 2, 3, 4, 5, 6]);
  layer.bias.set([0.5, -1, 2]);
  return layer;
}

const x = { data: new Float64Array([1, -1, 2, 0.5]), shape: [2, 2] };

describe('Linear', () => {
  it('computes x W^T + b', () => {
    const y = small().forward(x);
    expect(y.shape).toEqual([2, 3]);
    expect(Array.from(y.data)).toEqual([
      1 * 1 + 2 * -1 + 0.5, 3 * 1 + 4 * -1 - 1, 5 * 1 + 6 * -1 + 2,
      1 * 2 + 2 * 0.5 + 0.5, 3 * 2 + 4 * 0.5 - 1, 5 * 2 + 6 * 0.5 + 2,
    ]);
  });

  it('reads Float32 inputs and writes into a given output buffer', () => {
    const out = new Float64Array(6);
    const y = small().forward({ data: Float32Array.from(x.data), shape: [2, 2] }, out);
    expect(y.data).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(small().forward(x).data));
  });

  it('matches a naive product for a shape that exercises the unrolled and the remainder loops', () => {
    const rng = new Random(1);
    const layer = new Linear(7, 6, rng);
    const input = { data: Float64Array.from({ length: 5 * 7 }, () => rng.normal()), shape: [5, 7] };
    const y = layer.forward(input).data;
    for (let n = 0; n < 5; n++) {
      for (let o = 0; o < 6; o++) {
        let s = layer.bias[o]!;
        for (let k = 0; k < 7; k++) s += input.data[n * 7 + k]! * layer.weight[o * 7 + k]!;
        expectClose(y[n * 6 + o], s, 1e-14);
      }
    }
  });

  it('has gradients G^T x, the column sums of G, and G W', () => {
    const layer = small();
    const g = { data: new Float64Array([1, 0, -1, 2, 1, 0]), shape: [2, 3] };
    const gx = layer.backward(x, g, { gradInput: true })!;
    // gradWeight[o][k] = Σ_n G[n][o] x[n][k]
    expect(Array.from(layer.gradWeight)).toEqual([1 * 1 + 2 * 2, 1 * -1 + 2 * 0.5, 0 * 1 + 1 * 2, 0 * -1 + 1 * 0.5, -1 * 1 + 0, -1 * -1 + 0]);
    expect(Array.from(layer.gradBias)).toEqual([1 + 2, 0 + 1, -1 + 0]);
    // gradInput[n][k] = Σ_o G[n][o] W[o][k]
    expect(gx.shape).toEqual([2, 2]);
    expect(Array.from(gx.data)).toEqual([1 * 1 + 0 * 3 - 1 * 5, 1 * 2 + 0 * 4 - 1 * 6, 2 * 1 + 1 * 3 + 0, 2 * 2 + 1 * 4 + 0]);
  });

  it('accumulates gradients across backward calls like PyTorch, and returns no input gradient unless asked', () => {
    const layer = small();
    const g = { data: new Float64Array([1, 1, 1, 1, 1, 1]), shape: [2, 3] };
    expect(layer.backward(x, g)).toBeNull();
    layer.backward(x, g);
    expect(Array.from(layer.gradBias)).toEqual([4, 4, 4]);
  });

  it('agrees with finite differences of mse(layer(x), y)', () => {
    const rng = new Random(2);
    const layer = new Linear(4, 3, rng);
    const input = { data: Float64Array.from({ length: 5 * 4 }, () => rng.normal()), shape: [5, 4] };
    const target = { data: Float64Array.from({ length: 5 * 3 }, () => rng.normal()), shape: [5, 3] };
    const loss = () => mse(layer.forward(input), target);
    const gx = layer.backward(input, mse.grad(layer.forward(input), target), { gradInput: true })!;
    const h = 1e-6;
    const numeric = (arr: Float64Array, i: number) => {
      const v = arr[i]!;
      arr[i] = v + h;
      const up = loss();
      arr[i] = v - h;
      const down = loss();
      arr[i] = v;
      return (up - down) / (2 * h);
    };
    for (let i = 0; i < layer.weight.length; i++) expectClose(layer.gradWeight[i], numeric(layer.weight, i), 1e-8);
    for (let i = 0; i < layer.bias.length; i++) expectClose(layer.gradBias[i], numeric(layer.bias, i), 1e-8);
    for (let i = 0; i < input.data.length; i++) expectClose(gx.data[i], numeric(input.data, i), 1e-8);
  });

  it('initializes weight and bias from U(-1/sqrt(in), 1/sqrt(in)), reproducibly from the seed', () => {
    const layer = new Linear(784, 10, 3);
    const bound = 1 / Math.sqrt(784);
    const all = [...layer.weight, ...layer.bias];
    expect(all.every((w) => Math.abs(w) < bound)).toBe(true);
    expect(Math.max(...all)).toBeGreaterThan(0.95 * bound);
    expect(Math.min(...all)).toBeLessThan(-0.95 * bound);
    expect(Array.from(new Linear(784, 10, 3).weight)).toEqual(Array.from(layer.weight));
    expect(layer.parameters()).toEqual([{ param: layer.weight, grad: layer.gradWeight }, { param: layer.bias, grad: layer.gradBias }]);
  });

  it('names the method, the argument and the shapes on bad input', () => {
    const layer = small();
    expect(() => new Linear(0, 3, 1)).toThrow('Linear: inFeatures must be an integer >= 1, got 0');
    expect(() => layer.forward({ data: new Float64Array(6), shape: [2, 3] })).toThrow(
      'Linear.forward: x shape must be [N,2] matching x.data.length 6, got [2,3]',
    );
    expect(() => layer.forward({ data: new Float64Array(5), shape: [2, 2] })).toThrow(LossInputError);
    expect(() => layer.forward({ data: [1, 2] as unknown as Float64Array, shape: [1, 2] })).toThrow(
      'Linear.forward: x.data must be a Float32Array or Float64Array, got an array of length 2',
    );
    expect(() => layer.backward(x, { data: new Float64Array(3), shape: [1, 3] })).toThrow(
      'Linear.backward: gradOut shape must be [2,3] like the output of x, got [1,3]',
    );
    expect(() => layer.forward(x, new Float64Array(5))).toThrow('Linear.forward: out.length must be 6, got 5');
  });
});

describe('Linear.backward', () => {
  it('matches naive sums for odd and even sizes (every unrolled path and remainder)', () => {
    for (const [n, inF, outF] of [[1, 3, 1], [5, 4, 3], [9, 2, 6], [4, 5, 2], [7, 3, 5]] as const) {
      const rng = new Random(n * 100 + outF);
      const layer = new Linear(inF, outF, rng);
      const x = { data: Float64Array.from({ length: n * inF }, () => rng.normal()), shape: [n, inF] };
      const g = { data: Float64Array.from({ length: n * outF }, () => rng.normal()), shape: [n, outF] };
      const gx = layer.backward(x, g, { gradInput: true })!;
      for (let o = 0; o < outF; o++) {
        let sb = 0;
        for (let r = 0; r < n; r++) sb += g.data[r * outF + o]!;
        expectClose(layer.gradBias[o], sb, 1e-14);
        for (let k = 0; k < inF; k++) {
          let sw = 0;
          for (let r = 0; r < n; r++) sw += g.data[r * outF + o]! * x.data[r * inF + k]!;
          expectClose(layer.gradWeight[o * inF + k], sw, 1e-14);
        }
      }
      for (let r = 0; r < n; r++) {
        for (let k = 0; k < inF; k++) {
          let s = 0;
          for (let o = 0; o < outF; o++) s += g.data[r * outF + o]! * layer.weight[o * inF + k]!;
          expectClose(gx.data[r * inF + k], s, 1e-14);
        }
      }
    }
  });
});
