/**
 * The `out` contract, held for every exported loss: every element of a caller's buffer is
 * written on every call (a NaN-filled or stale buffer gives the same gradient as a fresh one),
 * the buffer is returned as is, and a buffer sharing memory with an argument is rejected.
 */
import { describe, expect, it } from 'vitest';
import { LossInputError } from '../../src';
import { caseNames, exportedLosses, lossCases } from '../helpers/lossCases';

const tensor = (rows: number[][]) => ({ data: Float64Array.from(rows.flat()), shape: [rows.length, rows[0]!.length] });

describe('every exported loss has a case in the hostile suites', () => {
  it('lists them all', () => {
    expect([...exportedLosses().keys()].sort()).toEqual([...caseNames].sort());
  });
});

describe.each(lossCases())('$name writes all of out', ({ loss, input, target, options }) => {
  const size = input.flat().length;
  const fresh = Array.from(loss.grad(tensor(input), target, options).data as Float64Array);

  it.each([Float64Array, Float32Array])('into a NaN-filled %o buffer, as a fresh gradient', (Kind) => {
    for (const reduction of ['mean', 'sum', 'none', 'batchmean']) {
      const opts = { ...options, reduction };
      let reference: Float64Array;
      try {
        reference = loss.grad(tensor(input), target, opts).data as Float64Array;
      } catch (e) {
        if (String(e).includes('options.reduction must be')) continue; // a reduction this loss does not have
        throw e;
      }
      const expected = Kind.from(reference);
      const out = new Kind(size).fill(NaN);
      expect(loss.grad(tensor(input), target, { ...opts, out })).toBe(out);
      expect(Array.from(out)).toEqual(Array.from(expected));
      const again = new Kind(size).fill(123);
      loss.valueAndGrad(tensor(input), target, { ...opts, out: again });
      expect(Array.from(again)).toEqual(Array.from(expected));
    }
  });

  it('with out: undefined, as without out', () => {
    expect(Array.from(loss.grad(tensor(input), target, { ...options, out: undefined }).data as Float64Array)).toEqual(fresh);
  });

  it('rejects an out that is, or overlaps, the input or the target', () => {
    const x = tensor(input);
    expect(() => loss.grad(x, target, { ...options, out: x.data })).toThrow(LossInputError);
    expect(() => loss.grad(x, target, { ...options, out: x.data })).toThrow(`${loss.lossName}: options.out must be a buffer that shares no memory with input, got a Float64Array overlapping input`);
    const shared = new Float64Array(2 * size);
    shared.set(x.data, size / 2);
    const view = { data: shared.subarray(size / 2, size / 2 + size), shape: x.shape };
    expect(() => loss.grad(view, target, { ...options, out: shared.subarray(0, size) })).toThrow('overlapping input');
    const disjoint = shared.subarray(size / 2 + size);
    expect(disjoint.length).toBeLessThan(size);
    if (!Array.isArray(target)) return;
    const t = Array.isArray(target[0]) ? tensor(target as number[][]) : Float64Array.from(target as number[]);
    const tData = 'data' in t ? t.data : t;
    if (tData.length !== size) return;
    expect(() => loss.grad(x, t, { ...options, out: tData })).toThrow('overlapping target');
  });
});
