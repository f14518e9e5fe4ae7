import { describe, expect, it } from 'vitest';
import { LossInputError, Random, batchIndices, gatherRows } from '../../src';

const lists = (it: Iterable<Int32Array>) => Array.from(it, (b) => Array.from(b));

describe('batchIndices', () => {
  it('walks the rows in order, keeping the last partial batch like DataLoader(drop_last=False)', () => {
    expect(lists(batchIndices(7, 3))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('drops the last partial batch with dropLast', () => {
    expect(lists(batchIndices(7, 3, { dropLast: true }))).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(lists(batchIndices(6, 3, { dropLast: true }))).toEqual([[0, 1, 2], [3, 4, 5]]);
  });

  it('gives ceil(60000 / 64) = 938 batches for an MNIST epoch, the last of 60000 - 937 * 64 = 32 rows', () => {
    const sizes = Array.from(batchIndices(60000, 64), (b) => b.length);
    expect(sizes.length).toBe(938);
    expect(sizes[937]).toBe(32);
  });

  it('shuffles into a permutation of all rows, a new one each epoch, fixed by the seed', () => {
    const rng = new Random(9);
    const epoch1 = lists(batchIndices(100, 8, { shuffle: true, rng })).flat();
    const epoch2 = lists(batchIndices(100, 8, { shuffle: true, rng })).flat();
    const range = Array.from({ length: 100 }, (_, i) => i);
    expect(epoch1.slice().sort((a, b) => a - b)).toEqual(range);
    expect(epoch1).not.toEqual(range);
    expect(epoch2).not.toEqual(epoch1);
    expect(lists(batchIndices(100, 8, { shuffle: true, rng: new Random(9) })).flat()).toEqual(epoch1);
  });

  it('yields nothing for no rows', () => {
    expect(lists(batchIndices(0, 4))).toEqual([]);
  });

  it('names the argument on bad input', () => {
    expect(() => batchIndices(10, 0).next()).toThrow('batchIndices: batchSize must be an integer >= 1, got 0');
    expect(() => batchIndices(-1, 2).next()).toThrow('batchIndices: count must be an integer >= 0, got -1');
    expect(() => batchIndices(10, 2, { shuffle: true }).next()).toThrow('batchIndices: options.rng must be a Random when shuffle is true, got undefined');
  });
});

describe('gatherRows', () => {
  const matrix = Float32Array.from([0, 1, 10, 11, 20, 21, 30, 31]); // [4, 2]: row r is [10r, 10r + 1]

  it('copies the indexed rows into the front of a reused buffer', () => {
    const out = new Float32Array(3 * 2);
    const full = gatherRows(matrix, 2, [3, 0, 2], out);
    expect(full).toBe(out);
    expect(Array.from(full)).toEqual([30, 31, 0, 1, 20, 21]);
    const partial = gatherRows(matrix, 2, [1], out);
    expect(partial.buffer).toBe(out.buffer);
    expect(Array.from(partial)).toEqual([10, 11]);
  });

  it('gathers labels with one column', () => {
    expect(Array.from(gatherRows(Uint8Array.from([7, 2, 1]), 1, Int32Array.from([2, 0]), new Uint8Array(2)))).toEqual([1, 7]);
  });

  it('names the argument on bad input', () => {
    expect(() => gatherRows(matrix, 2, [4], new Float32Array(2))).toThrow('gatherRows: indices[0] must be a row index in [0, 4), got 4');
    expect(() => gatherRows(matrix, 3, [0], new Float32Array(3))).toThrow('gatherRows: cols must be an integer >= 1 dividing source.length 8, got 3');
    expect(() => gatherRows(matrix, 2, [0, 1], new Float32Array(3))).toThrow(LossInputError);
    expect(() => gatherRows(matrix, 2, [0, 1], new Float32Array(3))).toThrow('gatherRows: out.length must be at least 4 (2 rows of 2), got 3');
  });
});
