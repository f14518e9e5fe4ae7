import { describe, expect, it } from 'vitest';
import { LossInputError, Random, batchIndices, gatherRows } from '../../src';

const lists = (it: Iterable<Int32Array>) => Array.from(it, (b) => Array.from(b));

describe('batchIndices', () => {
  it('walks the rows in order, keeping the last partial batch like DataLoader(drop_last=False)', () => {
    expect(lists(batchIndices(7, 3))).toEqual([[0, 1, 2], [3, 4, 5], [6]]);
  });

  it('drops the last partial batch with dropLast', () => {
    expect(lists(batchIndices(7, 3, { dropLast: true }))).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(lists(batchIndices(6, 3, { dropLast: true }))).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
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

  it('yields one batch of every row when batchSize exceeds count, and none with dropLast, as DataLoader', () => {
    expect(lists(batchIndices(3, 10))).toEqual([[0, 1, 2]]);
    expect(lists(batchIndices(3, 2 ** 60))).toEqual([[0, 1, 2]]);
    expect(lists(batchIndices(3, 10, { dropLast: true }))).toEqual([]);
  });

  it('names the argument on bad input, when called rather than at the first next()', () => {
    expect(() => batchIndices(10, 0)).toThrow('batchIndices: batchSize must be an integer >= 1, got 0');
    expect(() => batchIndices(10, 2.5)).toThrow('batchIndices: batchSize must be an integer >= 1, got 2.5');
    expect(() => batchIndices(10, '2' as never)).toThrow('batchIndices: batchSize must be an integer >= 1, got "2"');
    expect(() => batchIndices(-1, 2)).toThrow('batchIndices: count must be an integer >= 0 and <= 2^31, got -1');
    expect(() => batchIndices(Number.NaN, 2)).toThrow('got NaN');
    expect(() => batchIndices(10, 2, { shuffle: true })).toThrow('batchIndices: options.rng must be a Random when shuffle is true, got undefined');
    expect(() => batchIndices(10, 2, { rng: 9 as never })).toThrow('batchIndices: options.rng must be a Random, got 9');
  });

  it('rejects a count beyond what Int32Array row indices hold', () => {
    expect(() => batchIndices(2 ** 31 + 1, 1)).toThrow('batchIndices: count must be an integer >= 0 and <= 2^31, got 2147483649');
  });

  it('rejects a misspelt option and a non-boolean flag instead of ignoring or coercing them', () => {
    expect(() => batchIndices(4, 2, { shufle: true } as never)).toThrow('batchIndices: option "shufle" must be one of shuffle, rng, dropLast, got an unknown option');
    expect(() => batchIndices(4, 2, { shuffle: 'no', rng: new Random(1) } as never)).toThrow('batchIndices: options.shuffle must be true or false, got "no"');
    expect(() => batchIndices(4, 2, { dropLast: 1 } as never)).toThrow('batchIndices: options.dropLast must be true or false, got 1');
  });

  it('counts only a plain object own keys as options: prototype names, __proto__ and Maps throw', () => {
    expect(() => batchIndices(4, 2, { constructor: 1 } as never)).toThrow('batchIndices: option "constructor" must be one of shuffle, rng, dropLast');
    expect(() => batchIndices(4, 2, { toString: 'x' } as never)).toThrow('batchIndices: option "toString" must be one of');
    expect(() => batchIndices(4, 2, JSON.parse('{"__proto__": {"shuffle": true}}') as never)).toThrow('batchIndices: option "__proto__" must be one of');
    expect(() => batchIndices(4, 2, new Map([['shuffle', true]]) as never)).toThrow('batchIndices: options must be a plain object, got an object');
    expect(() => batchIndices(4, 2, null as never)).toThrow('batchIndices: options must be a plain object, got null');
  });

  it('treats an option whose value is undefined as absent', () => {
    expect(lists(batchIndices(4, 2, { shuffle: undefined, rng: undefined, dropLast: undefined }))).toEqual([
      [0, 1],
      [2, 3],
    ]);
  });

  it('ignores rng when shuffle is false, as DataLoader ignores its generator', () => {
    const rng = new Random(1);
    expect(lists(batchIndices(4, 2, { shuffle: false, rng }))).toEqual([
      [0, 1],
      [2, 3],
    ]);
    expect(rng.nextUint32()).toBe(new Random(1).nextUint32());
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

  it('gives an empty view for no indices', () => {
    expect(gatherRows(matrix, 2, [], new Float32Array(4)).length).toBe(0);
  });

  it('rejects indices that are not an array of integer rows: a number, fractions, negatives, holes, strings', () => {
    const out = new Float32Array(8);
    expect(() => gatherRows(matrix, 2, 3 as never, out)).toThrow('gatherRows: indices must be an array or typed array of row indices, got 3');
    expect(() => gatherRows(matrix, 2, [0.5], out)).toThrow('gatherRows: indices[0] must be a row index in [0, 4), got 0.5');
    expect(() => gatherRows(matrix, 2, [0, -1], out)).toThrow('gatherRows: indices[1] must be a row index in [0, 4), got -1');
    // eslint-disable-next-line no-sparse-arrays
    expect(() => gatherRows(matrix, 2, [0, , 1] as never, out)).toThrow('gatherRows: indices[1] must be a row index in [0, 4), got undefined');
    expect(() => gatherRows(matrix, 2, ['1'] as never, out)).toThrow('gatherRows: indices[0] must be a row index in [0, 4), got "1"');
    expect(() => gatherRows(matrix, 2, Float64Array.from([Number.NaN]), out)).toThrow('got NaN');
  });

  it('checks every index before writing anything', () => {
    const out = new Float32Array(4).fill(-1);
    expect(() => gatherRows(matrix, 2, [1, 9], out)).toThrow('gatherRows: indices[1] must be a row index in [0, 4), got 9');
    expect(Array.from(out)).toEqual([-1, -1, -1, -1]);
  });

  it('rejects a source or out of another kind, which would truncate, and an out overlapping source', () => {
    expect(() => gatherRows(Float64Array.from([0.5, 1.5]), 1, [0], new Uint8Array(1) as never)).toThrow('gatherRows: out must be a Float64Array like source, got a Uint8Array');
    expect(() => gatherRows([1, 2] as never, 1, [0], new Float64Array(1))).toThrow(
      'gatherRows: source must be a Float32Array, Float64Array, Uint8Array or Int32Array, got an array of length 2',
    );
    expect(() => gatherRows(new Uint16Array(2) as never, 1, [0], new Uint16Array(1) as never)).toThrow('got a Uint16Array');
    const shared = new Float32Array(8);
    expect(() => gatherRows(shared, 2, [1, 0], shared)).toThrow('gatherRows: out must be a buffer that shares no memory with source, got a Float32Array overlapping source');
  });

  it('names the argument on bad input', () => {
    expect(() => gatherRows(matrix, 2, [4], new Float32Array(2))).toThrow('gatherRows: indices[0] must be a row index in [0, 4), got 4');
    expect(() => gatherRows(matrix, 0, [0], new Float32Array(2))).toThrow('gatherRows: cols must be an integer >= 1 dividing source.length 8, got 0');
    expect(() => gatherRows(matrix, '2' as never, [0], new Float32Array(2))).toThrow('got "2"');
    expect(() => gatherRows(matrix, 3, [0], new Float32Array(3))).toThrow('gatherRows: cols must be an integer >= 1 dividing source.length 8, got 3');
    expect(() => gatherRows(matrix, 2, [0, 1], new Float32Array(3))).toThrow(LossInputError);
    expect(() => gatherRows(matrix, 2, [0, 1], new Float32Array(3))).toThrow('gatherRows: out.length must be at least 4 (2 rows of 2), got 3');
  });
});
