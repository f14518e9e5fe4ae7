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
    expect(Array.from(y.data)).toEqual([1 * 1 + 2 * -1 + 0.5, 3 * 1 + 4 * -1 - 1, 5 * 1 + 6 * -1 + 2, 1 * 2 + 2 * 0.5 + 0.5, 3 * 2 + 4 * 0.5 - 1, 5 * 2 + 6 * 0.5 + 2]);
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
    expect(layer.parameters()).toEqual([
      { param: layer.weight, grad: layer.gradWeight },
      { param: layer.bias, grad: layer.gradBias },
    ]);
  });

  it('names the method, the argument and the shapes on bad input', () => {
    const layer = small();
    expect(() => new Linear(0, 3, 1)).toThrow('Linear: inFeatures must be an integer >= 1 and <= 2^31 - 1, got 0');
    expect(() => layer.forward({ data: new Float64Array(6), shape: [2, 3] })).toThrow('Linear.forward: x shape must be [N,2] matching x.data.length 6, got [2,3]');
    expect(() => layer.forward({ data: new Float64Array(5), shape: [2, 2] })).toThrow(LossInputError);
    expect(() => layer.forward({ data: [1, 2] as unknown as Float64Array, shape: [1, 2] })).toThrow(
      'Linear.forward: x.data must be a Float32Array or Float64Array, got an array of length 2',
    );
    expect(() => layer.backward(x, { data: new Float64Array(3), shape: [1, 3] })).toThrow('Linear.backward: gradOut shape must be [2,3] like the output of x, got [1,3]');
    expect(() => layer.forward(x, new Float64Array(5))).toThrow('Linear.forward: out.length must be 6, got 5');
  });
});

describe('Linear.backward', () => {
  it('matches naive sums for odd and even sizes (every unrolled path and remainder)', () => {
    for (const [n, inF, outF] of [
      [1, 3, 1],
      [5, 4, 3],
      [9, 2, 6],
      [4, 5, 2],
      [7, 3, 5],
    ] as const) {
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

describe('Linear at the boundary', () => {
  const input = (data: Float32Array | Float64Array, rows: number) => ({ data, shape: [rows, 2] });

  it('rejects feature counts that are not integers >= 1, or more than 2^31 - 1 weights', () => {
    expect(() => new Linear(2.5, 3, 0)).toThrow('Linear: inFeatures must be an integer >= 1 and <= 2^31 - 1, got 2.5');
    expect(() => new Linear(2, '3' as never, 0)).toThrow('Linear: outFeatures must be an integer >= 1 and <= 2^31 - 1, got "3"');
    expect(() => new Linear(1e5, 1e5, 0)).toThrow('Linear: inFeatures * outFeatures must be at most 2^31 - 1 weights, got 100000 * 100000 = 10000000000');
  });

  it('rejects an rng that is neither a Random nor a 32-bit seed, naming Linear', () => {
    expect(() => new Linear(2, 3, 1.5)).toThrow('Linear: rng must be a Random or a seed (an integer >= 0 and < 2^32), got 1.5');
    expect(() => new Linear(2, 3, '1' as never)).toThrow('got "1"');
    expect(() => new Linear(2, 3, undefined as never)).toThrow('got undefined');
  });

  it('rejects integer typed arrays as inputs instead of reading them', () => {
    expect(() => small().forward({ data: new Int32Array([1, 2]) as never, shape: [1, 2] })).toThrow(
      /^Linear\.forward: x\.data must be a Float32Array or Float64Array, got an? Int32Array$/,
    );
    expect(() => small().backward(x, { data: new Uint8Array(6) as never, shape: [2, 3] })).toThrow('Linear.backward: gradOut.data must be a Float32Array or Float64Array');
    expect(() => small().forward(undefined as never)).toThrow('Linear.forward: x must be a { data, shape } tensor, got undefined');
    expect(() => small().forward(new Float64Array(2) as never)).toThrow('Linear.forward: x must be a { data, shape } tensor, got a Float64Array');
  });

  it('rejects a shape that is not [N, in] of integers matching the data', () => {
    const layer = small();
    expect(() => layer.forward({ data: new Float64Array(2), shape: ['1', 2] as never })).toThrow('Linear.forward: x shape must be [N,2] matching x.data.length 2, got ["1",2]');
    expect(() => layer.forward({ data: new Float64Array(2), shape: [2] })).toThrow('got [2]');
    expect(() => layer.forward({ data: new Float64Array(2), shape: [1, 2, 1] })).toThrow('got [1,2,1]');
    expect(() => layer.forward({ data: new Float64Array(2), shape: undefined as never })).toThrow('got undefined');
  });

  it('writes only into a Float64Array out of the right length that shares no memory with x or the layer', () => {
    const layer = small();
    expect(() => layer.forward(x, new Int32Array(6) as never)).toThrow(/^Linear\.forward: out must be a Float64Array of length 6, got an? Int32Array$/);
    expect(() => layer.forward(x, new Float32Array(6) as never)).toThrow('got a Float32Array');
    expect(() => layer.forward(x, null as never)).toThrow('got null');
    const shared = new Float64Array(10);
    expect(() => layer.forward(input(shared.subarray(0, 4), 2), shared.subarray(4))).not.toThrow();
    expect(() => layer.forward(input(shared.subarray(0, 4), 2), shared.subarray(3, 9))).toThrow(
      'Linear.forward: out must be a buffer that shares no memory with x.data, got a Float64Array overlapping x.data',
    );
    const one = new Linear(2, 1, 0);
    expect(() => one.forward({ data: new Float64Array(2), shape: [1, 2] }, one.bias)).toThrow('shares no memory with bias');
  });

  it('names the NaN or Infinity in x, weight or bias behind a non-finite output', () => {
    const layer = small();
    expect(() => layer.forward(input(new Float64Array([1, Number.NaN, 0, 0]), 2))).toThrow('Linear.forward: x.data[1] must be a finite number, got NaN');
    expect(() => layer.forward(input(Float32Array.from([0, 0, Infinity, 0]), 2))).toThrow('Linear.forward: x.data[2] must be a finite number, got Infinity');
    layer.weight[4] = -Infinity;
    expect(() => layer.forward(x)).toThrow('Linear.forward: weight[4] must be a finite number, got -Infinity');
    const other = small();
    other.bias[0] = Number.NaN;
    expect(() => other.forward(x)).toThrow('Linear.forward: bias[0] must be a finite number, got NaN');
  });

  it('finds a NaN in x on the WebAssembly path too (the MNIST shape)', () => {
    const rng = new Random(4);
    const layer = new Linear(784, 10, rng);
    const data = Float32Array.from({ length: 64 * 784 }, () => rng.normal());
    data[5 * 784 + 3] = Number.NaN;
    expect(() => layer.forward({ data, shape: [64, 784] })).toThrow(`Linear.forward: x.data[${5 * 784 + 3}] must be a finite number, got NaN`);
  });

  it('throws instead of returning Infinity when x W^T + b overflows', () => {
    const layer = new Linear(2, 1, 0);
    layer.weight.set([1, 1]);
    expect(() => layer.forward({ data: new Float64Array([1e308, 1e308]), shape: [1, 2] })).toThrow(
      'Linear.forward: output [0,0] (x W^T + b) must be finite, got Infinity: it overflows float64',
    );
  });

  it('maps an empty batch to an empty output and leaves the gradients alone', () => {
    const layer = small();
    const empty = { data: new Float64Array(0), shape: [0, 2] };
    expect(layer.forward(empty).shape).toEqual([0, 3]);
    expect(layer.backward(empty, { data: new Float64Array(0), shape: [0, 3] }, { gradInput: true })!.shape).toEqual([0, 2]);
    expect(Array.from(layer.gradWeight)).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('rejects a NaN in gradOut before accumulating anything', () => {
    const layer = small();
    expect(() => layer.backward(x, { data: new Float64Array([0, 0, 0, 0, Number.NaN, 0]), shape: [2, 3] })).toThrow(
      'Linear.backward: gradOut.data[4] must be a finite number, got NaN',
    );
    expect(Array.from(layer.gradWeight)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(layer.gradBias)).toEqual([0, 0, 0]);
  });

  it('names a NaN in x found in the accumulated gradients, which then hold it until zeroGrad', () => {
    const layer = small();
    const g = { data: new Float64Array(6).fill(1), shape: [2, 3] };
    expect(() => layer.backward(input(new Float64Array([1, 1, Infinity, 1]), 2), g)).toThrow('Linear.backward: x.data[2] must be a finite number, got Infinity');
    expect(layer.gradWeight[0]).toBe(Infinity); // 1 * 1 + 1 * Infinity
  });

  it('throws when the accumulated gradient or the input gradient overflows', () => {
    const layer = new Linear(2, 2, 0);
    const one = { data: new Float64Array([1, 1]), shape: [1, 2] };
    expect(() => layer.backward({ data: new Float64Array([1e308, 1, 1e308, 1]), shape: [2, 2] }, { data: new Float64Array([1, 1, 1, 1]), shape: [2, 2] })).toThrow(
      'Linear.backward: gradWeight[0] must be finite after adding this batch, got Infinity: the sum overflows float64, or it held a non-finite value before',
    );
    layer.gradWeight.fill(0);
    layer.weight.set([1e308, 1, 1e308, 1]);
    expect(() => layer.backward(one, one, { gradInput: true })).toThrow('Linear.backward: gradInput [0,0] (G W) must be finite, got Infinity');
  });

  it('rejects x or gradOut sharing memory with the gradients it accumulates into', () => {
    const layer = new Linear(2, 1, 0);
    expect(() => layer.backward({ data: layer.gradWeight, shape: [1, 2] }, { data: new Float64Array([1]), shape: [1, 1] })).toThrow(
      'Linear.backward: x.data must be an array sharing no memory with gradWeight, got a Float64Array overlapping gradWeight',
    );
    expect(() => layer.backward({ data: new Float64Array(2), shape: [1, 2] }, { data: layer.gradBias, shape: [1, 1] })).toThrow(
      'Linear.backward: gradOut.data must be an array sharing no memory with gradBias',
    );
  });

  it('rejects a misspelt or non-boolean backward option', () => {
    expect(() => small().backward(x, { data: new Float64Array(6), shape: [2, 3] }, { gradinput: true } as never)).toThrow(
      'Linear.backward: option "gradinput" must be one of gradInput, got an unknown option',
    );
    expect(() => small().backward(x, { data: new Float64Array(6), shape: [2, 3] }, { gradInput: 'yes' } as never)).toThrow(
      'Linear.backward: options.gradInput must be true or false, got "yes"',
    );
  });
});
