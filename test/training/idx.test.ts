import { describe, expect, it } from 'vitest';
import { LossInputError, parseIdx } from '../../src';

/** An IDX file: magic 0x0000 TT DD, big-endian uint32 sizes, then the bytes given. */
function idx(type: number, shape: number[], body: number[]): Uint8Array {
  const header = [0, 0, type, shape.length, ...shape.flatMap((d) => [d >>> 24, (d >>> 16) & 255, (d >>> 8) & 255, d & 255])];
  return Uint8Array.from([...header, ...body]);
}

describe('parseIdx', () => {
  it('reads a uint8 image file: magic 0x00000803, shape [n, rows, cols], pixels row-major', () => {
    const bytes = idx(0x08, [2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    const out = parseIdx(bytes);
    expect(out.magic).toBe(0x803);
    expect(out.type).toBe('uint8');
    expect(out.shape).toEqual([2, 2, 3]);
    expect(Array.from(out.data)).toEqual([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    expect(out.data.buffer).toBe(bytes.buffer); // a view, not a copy
  });

  it('reads a label file: magic 0x00000801, shape [n]', () => {
    expect(parseIdx(idx(0x08, [3], [7, 2, 1]))).toEqual({ magic: 0x801, type: 'uint8', shape: [3], data: Uint8Array.from([7, 2, 1]) });
  });

  it('reads multi-byte elements big-endian', () => {
    expect(Array.from(parseIdx(idx(0x0b, [2], [0x01, 0x02, 0xff, 0xfe])).data)).toEqual([0x0102, -2]);
    expect(Array.from(parseIdx(idx(0x0d, [1], [0x3f, 0xc0, 0, 0])).data)).toEqual([1.5]);
    expect(Array.from(parseIdx(idx(0x09, [2], [0x7f, 0x80])).data)).toEqual([127, -128]);
  });

  it('reads a file that is a view into a larger buffer', () => {
    const file = idx(0x0c, [1], [0, 0, 1, 0]);
    const padded = new Uint8Array(file.length + 3);
    padded.set(file, 3);
    expect(Array.from(parseIdx(padded.subarray(3)).data)).toEqual([256]);
  });

  it('rejects a bad magic number, naming the file', () => {
    expect(() => parseIdx(Uint8Array.from([0x1f, 0x8b, 8, 0, 0, 0]), { name: 'train.gz' })).toThrow(
      'parseIdx: train.gz must be an IDX file (magic number 0x0000TTDD, TT a type code 08, 09, 0B, 0C, 0D or 0E), got magic number 0x1f8b0800',
    );
    expect(() => parseIdx(idx(0x07, [1], [0]))).toThrow('got magic number 0x00000701');
    expect(() => parseIdx(idx(0x08, [], []))).toThrow('got magic number 0x00000800');
    expect(() => parseIdx(Uint8Array.from([0, 0, 8]))).toThrow(LossInputError);
    expect(() => parseIdx(Uint8Array.from([0, 0, 8]))).toThrow('got 3 bytes');
  });

  it('rejects a truncated header', () => {
    expect(() => parseIdx(idx(0x08, [2, 28, 28], []).subarray(0, 10))).toThrow('parseIdx: bytes must be at least 16 bytes (the header of a 3-D IDX file), got 10 bytes');
  });

  it('rejects data shorter or longer than the dimensions say', () => {
    expect(() => parseIdx(idx(0x08, [2, 2, 2], [1, 2, 3, 4, 5, 6, 7]))).toThrow(
      'parseIdx: bytes must be 24 bytes (a 16-byte header and uint8 data of shape [2,2,2]), got 23 bytes',
    );
    expect(() => parseIdx(idx(0x08, [2], [1, 2, 3]))).toThrow('must be 10 bytes (a 8-byte header and uint8 data of shape [2]), got 11 bytes');
    expect(() => parseIdx(idx(0x0e, [1], [0, 0, 0, 0]))).toThrow('float64 data of shape [1]), got 12 bytes');
  });

  it('reads an ArrayBuffer as its bytes, uint8 data as a view into it', () => {
    const file = idx(0x08, [2], [7, 9]);
    const out = parseIdx(file.buffer as ArrayBuffer);
    expect(Array.from(out.data)).toEqual([7, 9]);
    expect(out.data.buffer).toBe(file.buffer);
  });

  it('rejects anything but a Uint8Array or an ArrayBuffer, naming the file', () => {
    expect(() => parseIdx('abc' as never)).toThrow('parseIdx: bytes must be a Uint8Array or an ArrayBuffer, got "abc"');
    expect(() => parseIdx([0, 0, 8, 1] as never, { name: 'labels' })).toThrow('parseIdx: labels must be a Uint8Array or an ArrayBuffer, got an array of length 4');
    expect(() => parseIdx(new Int8Array(8) as never)).toThrow(/^parseIdx: bytes must be a Uint8Array or an ArrayBuffer, got an? Int8Array$/);
  });

  it('rejects a name that is not a non-empty string and unknown options', () => {
    expect(() => parseIdx(idx(0x08, [1], [0]), { name: 5 } as never)).toThrow('parseIdx: options.name must be a non-empty string, got 5');
    expect(() => parseIdx(idx(0x08, [1], [0]), { name: '' })).toThrow('parseIdx: options.name must be a non-empty string, got ""');
    expect(() => parseIdx(idx(0x08, [1], [0]), { nmae: 'x' } as never)).toThrow('parseIdx: option "nmae" must be one of name, got an unknown option');
  });

  it('reports sizes whose product passes 2^53 without losing the shape', () => {
    const big = 0xffffffff;
    expect(() => parseIdx(idx(0x08, [big, big, big], []))).toThrow(
      'parseIdx: bytes must be over 2^53 bytes (a 16-byte header and uint8 data of shape [4294967295,4294967295,4294967295]), got 16 bytes',
    );
  });

  it('rejects a header that claims more dimensions than the bytes hold', () => {
    expect(() => parseIdx(Uint8Array.from([0, 0, 8, 255, 0, 0, 0, 1]))).toThrow('parseIdx: bytes must be at least 1024 bytes (the header of a 255-D IDX file), got 8 bytes');
  });

  it('rejects NaN or Infinity in float data, naming the element', () => {
    expect(() => parseIdx(idx(0x0d, [2], [0x3f, 0xc0, 0, 0, 0x7f, 0xc0, 0, 0]))).toThrow('parseIdx: bytes element 1 must be a finite float32, got NaN');
    expect(() => parseIdx(idx(0x0e, [1], [0x7f, 0xf0, 0, 0, 0, 0, 0, 0]))).toThrow('parseIdx: bytes element 0 must be a finite float64, got Infinity');
  });

  it('gives empty data for a size of 0', () => {
    const out = parseIdx(idx(0x0c, [0, 5], []));
    expect(out.shape).toEqual([0, 5]);
    expect(out.data).toEqual(new Int32Array(0));
  });
});
