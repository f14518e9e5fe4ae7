/**
 * The `out` contract, held for every exported loss: every element of a caller's buffer is
 * written on every call (a NaN-filled or stale buffer gives the same gradient as a fresh one),
 * the buffer is returned as is, and a buffer sharing memory with an argument is rejected.
 */
import { describe, expect, it } from 'vitest';
import { LossInputError } from '../../src';
import { caseNames, exportedLosses, gradientsOf, lossCases, withInput, type LossCase } from '../helpers/lossCases';

const tensor = (rows: number[][]) => ({ data: Float64Array.from(rows.flat()), shape: [rows.length, rows[0]!.length] });

describe('every exported loss has a case in the hostile suites', () => {
  it('lists them all', () => {
    expect([...exportedLosses().keys()].sort()).toEqual([...caseNames].sort());
  });
});

/** Buffers of `Kind` for each gradient, filled with `fill`, as `out` takes them. */
function outsFor(c: LossCase, sizes: number[], Kind: typeof Float64Array | typeof Float32Array, fill: number) {
  const buffers = sizes.map((n) => new Kind(n).fill(fill));
  return { buffers, out: c.gradients > 1 ? buffers : buffers[0]! };
}

describe.each(lossCases())('$name writes all of out', (c) => {
  const { loss, input, options } = c;
  const args = () => withInput(c, tensor(input));
  const fresh = gradientsOf(c, loss.grad(...args(), options));
  const sizes = fresh.map((g) => g.length);

  it.each([Float64Array, Float32Array])('into a NaN-filled %o buffer, as a fresh gradient', (Kind) => {
    for (const reduction of ['mean', 'sum', 'none', 'batchmean']) {
      const opts = { ...options, reduction };
      let reference: number[][];
      try {
        reference = gradientsOf(c, loss.grad(...args(), opts));
      } catch (e) {
        if (String(e).includes('options.reduction must be')) continue; // a reduction this loss does not have
        throw e;
      }
      const expected = reference.map((g) => Array.from(Kind.from(g)));
      const nan = outsFor(c, sizes, Kind, NaN);
      expect(loss.grad(...args(), { ...opts, out: nan.out })).toBe(nan.out);
      expect(nan.buffers.map((b) => Array.from(b))).toEqual(expected);
      const stale = outsFor(c, sizes, Kind, 123);
      loss.valueAndGrad(...args(), { ...opts, out: stale.out });
      expect(stale.buffers.map((b) => Array.from(b))).toEqual(expected);
    }
  });

  it('with out: undefined, as without out', () => {
    expect(gradientsOf(c, loss.grad(...args(), { ...options, out: undefined }))).toEqual(fresh);
  });

  it('rejects an out that is, or overlaps, the input or another argument', () => {
    const x = tensor(input);
    const name = c.argNames[0];
    const own = outsFor(c, sizes, Float64Array, 0);
    own.buffers[0] = x.data;
    const out = c.gradients > 1 ? own.buffers : x.data;
    const label = c.gradients > 1 ? 'options.out[0]' : 'options.out';
    expect(() => loss.grad(...withInput(c, x), { ...options, out })).toThrow(LossInputError);
    expect(() => loss.grad(...withInput(c, x), { ...options, out })).toThrow(
      `${loss.lossName}: ${label} must be a buffer that shares no memory with ${name}, got a Float64Array overlapping ${name}`,
    );
    const size = x.data.length;
    const shared = new Float64Array(2 * size);
    shared.set(x.data, size / 2);
    const view = { data: shared.subarray(size / 2, size / 2 + size), shape: x.shape };
    own.buffers[0] = shared.subarray(0, size);
    expect(() => loss.grad(...withInput(c, view), { ...options, out: c.gradients > 1 ? own.buffers : own.buffers[0] })).toThrow(`overlapping ${name}`);
    const second = c.args[1];
    if (!Array.isArray(second) || !Array.isArray(second[0])) return;
    const t = tensor(second as number[][]);
    if (t.data.length !== size) return;
    own.buffers[0] = t.data;
    const argsWithTensor = [x, t, ...c.args.slice(2)];
    expect(() => loss.grad(...argsWithTensor, { ...options, out: c.gradients > 1 ? own.buffers : t.data })).toThrow(`overlapping ${c.argNames[1]}`);
  });
});
