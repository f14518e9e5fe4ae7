import { describe, fail, showShape } from '../errors';
import { customOption, parseOptions, type OptionsOf } from '../options';

/** The element types of the IDX format, by type code. */
const TYPES = {
  0x08: { type: 'uint8', size: 1 },
  0x09: { type: 'int8', size: 1 },
  0x0b: { type: 'int16', size: 2 },
  0x0c: { type: 'int32', size: 4 },
  0x0d: { type: 'float32', size: 4 },
  0x0e: { type: 'float64', size: 8 },
} as const;

export type IdxType = (typeof TYPES)[keyof typeof TYPES]['type'];

/** A parsed IDX file: a dense row-major array with its shape. */
export interface IdxArray {
  /** The 32-bit magic number, e.g. 0x00000803 for MNIST images (uint8, 3 dims). */
  readonly magic: number;
  readonly type: IdxType;
  readonly shape: number[];
  /** The elements; for uint8 a view into the given bytes (no copy). */
  readonly data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const spec = {
  /** What error messages call the bytes, e.g. the file's path (default `bytes`). */
  name: customOption<string>('bytes', (fn, name, value) => {
    if (value === undefined) return 'bytes';
    if (typeof value !== 'string' || value === '') fail(fn, name, 'a non-empty string', describe(value));
    return value;
  }),
};

/** `parseIdx`'s options. */
export type IdxOptions = OptionsOf<typeof spec>;

/**
 * Parses an IDX file (the MNIST format) from its bytes; browser-safe (gunzip `.gz` files first).
 *
 * Layout: magic number `0x0000TTDD` (TT the type code: 08 uint8, 09 int8, 0B int16, 0C int32,
 * 0D float32, 0E float64; DD the number of dimensions), then DD big-endian uint32 sizes, then
 * the elements, big-endian, row-major. MNIST images are `0x00000803` `[n, 28, 28]`, labels
 * `0x00000801` `[n]`.
 *
 * `bytes` is a Uint8Array (a Node Buffer is one) or an ArrayBuffer; uint8 data is a view
 * into it, the other types are copied. Throws a `LossInputError` naming `options.name`
 * (default `bytes`) for anything else, a bad magic number (including 0 dimensions), a
 * truncated header, data whose length is not exactly the product of the sizes times the
 * element size (trailing bytes too; sizes whose product passes 2^53 are reported as such),
 * or a NaN or ±Infinity in float data. A size of 0 gives empty data of that shape.
 *
 * @example
 * parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 7, 9])).shape // [2]
 * Array.from(parseIdx(new Uint8Array([0, 0, 8, 1, 0, 0, 0, 2, 7, 9])).data) // [7, 9]
 */
export function parseIdx(bytes: Uint8Array | ArrayBuffer, options?: IdxOptions): IdxArray {
  const fn = 'parseIdx';
  const { name } = parseOptions(fn, options, spec);
  if (bytes instanceof ArrayBuffer) bytes = new Uint8Array(bytes);
  if (!(bytes instanceof Uint8Array)) fail(fn, name, 'a Uint8Array or an ArrayBuffer', describe(bytes));
  const what = 'an IDX file (magic number 0x0000TTDD, TT a type code 08, 09, 0B, 0C, 0D or 0E)';
  if (bytes.length < 4) fail(fn, name, what, `${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const kind = TYPES[bytes[2] as keyof typeof TYPES];
  const dims = bytes[3]!;
  if (bytes[0] !== 0 || bytes[1] !== 0 || !kind || dims === 0) fail(fn, name, what, `magic number ${hex(magic)}`);
  const header = 4 + 4 * dims;
  if (bytes.length < header) fail(fn, name, `at least ${header} bytes (the header of a ${dims}-D IDX file)`, `${bytes.length} bytes`);
  const shape: number[] = [];
  for (let d = 0; d < dims; d++) shape.push(view.getUint32(4 + 4 * d));
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = header + count * kind.size;
  if (bytes.length !== expected) {
    const size = Number.isSafeInteger(expected) ? `${expected} bytes` : 'over 2^53 bytes';
    fail(fn, name, `${size} (a ${header}-byte header and ${kind.type} data of shape ${showShape(shape)})`, `${bytes.length} bytes`);
  }
  const data = readElements(view, header, count, kind.type, bytes);
  if (data instanceof Float32Array || data instanceof Float64Array) {
    for (let i = 0; i < data.length; i++) {
      if (data[i]! - data[i]! !== 0) fail(fn, `${name} element ${i}`, `a finite ${kind.type}`, describe(data[i]));
    }
  }
  return { magic, type: kind.type, shape, data };
}

/** The `count` big-endian elements after the header, as a typed array. */
function readElements(view: DataView, at: number, count: number, type: IdxType, bytes: Uint8Array): IdxArray['data'] {
  switch (type) {
    case 'uint8':
      return bytes.subarray(at, at + count);
    case 'int8':
      return new Int8Array(bytes.buffer, bytes.byteOffset + at, count).slice();
    case 'int16':
      return Int16Array.from({ length: count }, (_, i) => view.getInt16(at + 2 * i));
    case 'int32':
      return Int32Array.from({ length: count }, (_, i) => view.getInt32(at + 4 * i));
    case 'float32':
      return Float32Array.from({ length: count }, (_, i) => view.getFloat32(at + 4 * i));
    case 'float64':
      return Float64Array.from({ length: count }, (_, i) => view.getFloat64(at + 8 * i));
  }
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
