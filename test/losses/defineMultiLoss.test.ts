import { describe, expect, it } from 'vitest';
import { defineMultiLoss } from '../../src/core/losses/defineLoss';
import { reduction } from '../../src/core/options';
import { toFlat } from '../../src/core/tensor/flatten';
import type { FloatArray, Values } from '../../src';

/** A toy loss of two outputs and a target: mean of (a_i - b_i - t_i)^2, gradients [2r/n, -2r/n]. */
const gap = defineMultiLoss<[Values, Values, Values], [number[], number[]], { reduction: ReturnType<typeof reduction> }, { a: FloatArray; b: FloatArray; t: FloatArray }>({
  name: 'gap',
  options: { reduction: reduction() },
  args: ['input1', 'input2', 'target'],
  differentiable: [0, 1],
  prepare: (args) => ({
    a: toFlat('gap', 'input1', args[0] as Values).data,
    b: toFlat('gap', 'input2', args[1] as Values).data,
    t: toFlat('gap', 'target', args[2] as Values).data,
  }),
  sizes: (c) => [c.a.length, c.b.length],
  value({ a, b, t }) {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]! - t[i]!) ** 2;
    return s / a.length;
  },
  grad({ a, b, t }, [da, db]) {
    for (let i = 0; i < a.length; i++) {
      const r = (2 * (a[i]! - b[i]! - t[i]!)) / a.length;
      da![i] = r;
      db![i] = -r;
    }
  },
});

describe('defineMultiLoss', () => {
  it('takes the arguments in order, then the options', () => {
    expect(gap([3, 1], [1, 1], [1, 0])).toBe((1 + 0) / 2);
    expect(gap([3, 1], [1, 1], [1, 0], { reduction: 'mean' })).toBe(0.5);
  });

  it('returns one gradient per differentiable argument, in order, each shaped like it', () => {
    expect(gap.grad([3, 1], [1, 1], [1, 0])).toEqual([
      [1, 0],
      [-1, -0],
    ]);
    const { value, grad } = gap.valueAndGrad(new Float64Array([3, 1]), [1, 1], [1, 0]);
    expect(value).toBe(0.5);
    expect(grad[0]).toBeInstanceOf(Float64Array);
  });

  it('writes into an array of out buffers, one per gradient, and returns it', () => {
    const outs = [new Float32Array(2).fill(NaN), new Float64Array(2).fill(NaN)];
    expect(gap.grad([3, 1], [1, 1], [1, 0], { out: outs })).toBe(outs);
    expect(Array.from(outs[0]!)).toEqual([1, 0]);
    expect(Array.from(outs[1]!)).toEqual([-1, -0]);
  });

  it('rejects out buffers that are not one per gradient, of the wrong length, or overlapping', () => {
    const x = new Float64Array([3, 1]);
    expect(() => gap.grad(x, [1, 1], [1, 0], { out: new Float64Array(2) } as object)).toThrow(
      'gap: options.out must be an array of 2 Float32Array or Float64Array buffers, one per gradient, got a Float64Array',
    );
    expect(() => gap.grad(x, [1, 1], [1, 0], { out: [new Float64Array(2), new Float64Array(3)] })).toThrow(
      "gap: options.out[1].length must be 2, the input2's element count, got 3",
    );
    expect(() => gap.grad(x, [1, 1], [1, 0], { out: [new Float64Array(2), x] })).toThrow(
      'gap: options.out[1] must be a buffer that shares no memory with input1, got a Float64Array overlapping input1',
    );
    const shared = new Float64Array(3);
    expect(() => gap.grad(x, [1, 1], [1, 0], { out: [shared.subarray(0, 2), shared.subarray(1, 3)] })).toThrow(
      'gap: options.out[1] must be a buffer that shares no memory with options.out[0], got a Float64Array overlapping it',
    );
    const t = new Float64Array([1, 0]);
    expect(() => gap.grad(x, [1, 1], t, { out: [new Float64Array(2), t] })).toThrow(
      'gap: options.out[1] must be a buffer that shares no memory with target, got a Float64Array overlapping target',
    );
  });

  it('parses options as every loss does', () => {
    expect(() => gap([1], [1], [1], { constructor: 1 } as object)).toThrow('gap: option "constructor" must be one of reduction, got an unknown option');
    expect(gap.defaults).toEqual({ reduction: 'mean' });
  });
});
