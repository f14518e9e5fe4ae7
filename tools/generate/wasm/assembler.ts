/**
 * A minimal WebAssembly binary writer: just what the kernel sources of this folder need (one
 * memory, exported or imported, exported functions over i32 / f64 params, SIMD).
 * Instructions are byte arrays; `op` and `simd` name the opcodes used.
 */

export type Code = number[];

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function sleb(v: bigint): number[] {
  const out: number[] = [];
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}

const f64Bytes = (v: number) => Array.from(new Uint8Array(new Float64Array([v]).buffer));

export const I32 = 0x7f;
export const I64 = 0x7e;
export const F64 = 0x7c;
export const V128 = 0x7b;

/** Scalar instructions (opcode bytes). */
export const op = {
  localGet: (i: number): Code => [0x20, ...uleb(i)],
  localSet: (i: number): Code => [0x21, ...uleb(i)],
  localTee: (i: number): Code => [0x22, ...uleb(i)],
  i32: (v: number): Code => [0x41, ...sleb(BigInt(v))],
  i64: (v: bigint): Code => [0x42, ...sleb(v)],
  f64: (v: number): Code => [0x44, ...f64Bytes(v)],
  block: [0x02, 0x40] as Code,
  loop: [0x03, 0x40] as Code,
  if: [0x04, 0x40] as Code,
  else: [0x05] as Code,
  end: [0x0b] as Code,
  br: (d: number): Code => [0x0c, ...uleb(d)],
  brIf: (d: number): Code => [0x0d, ...uleb(d)],
  i32Load: (offset = 0): Code => [0x28, 2, ...uleb(offset)],
  f64Load: (offset = 0): Code => [0x2b, 3, ...uleb(offset)],
  f32Load: (offset = 0): Code => [0x2a, 2, ...uleb(offset)],
  f64Store: (offset = 0): Code => [0x39, 3, ...uleb(offset)],
  i64Store: (offset = 0): Code => [0x37, 3, ...uleb(offset)],
  f32Store: (offset = 0): Code => [0x38, 2, ...uleb(offset)],
  i32Eqz: [0x45] as Code,
  i32Eq: [0x46] as Code,
  i32Ne: [0x47] as Code,
  return: [0x0f] as Code,
  i32LtS: [0x48] as Code,
  i32GeS: [0x4e] as Code,
  f64Eq: [0x61] as Code,
  f64Ne: [0x62] as Code,
  f64Lt: [0x63] as Code,
  f64Gt: [0x64] as Code,
  f64Le: [0x65] as Code,
  f64Ge: [0x66] as Code,
  i32Add: [0x6a] as Code,
  i32Sub: [0x6b] as Code,
  i32Mul: [0x6c] as Code,
  i32And: [0x71] as Code,
  i32Or: [0x72] as Code,
  i32Shl: [0x74] as Code,
  i32ShrS: [0x75] as Code,
  f64Add: [0xa0] as Code,
  f64Sub: [0xa1] as Code,
  f64Mul: [0xa2] as Code,
  f64Div: [0xa3] as Code,
  f64Sqrt: [0x9f] as Code,
  f64PromoteF32: [0xbb] as Code,
  f32DemoteF64: [0xb6] as Code,
  select: [0x1b] as Code,
};

/** SIMD instructions: 0xfd, then the opcode as unsigned LEB128. */
const s = (n: number, ...imm: number[]): Code => [0xfd, ...uleb(n), ...imm];
export const simd = {
  load: (offset = 0): Code => s(0x00, 4, ...uleb(offset)),
  load64Zero: (offset = 0): Code => s(0x5d, 3, ...uleb(offset)),
  store: (offset = 0): Code => s(0x0b, 4, ...uleb(offset)),
  store64Lane0: (offset = 0): Code => s(0x5b, 3, ...uleb(offset), 0),
  shuffle: (lanes: number[]): Code => s(0x0d, ...lanes),
  i32x4ExtractLane: (l: number): Code => s(0x1b, l),
  f64x2ExtractLane: (l: number): Code => s(0x21, l),
  f64x2Splat: s(0x14),
  i32x4Splat: s(0x11),
  i64x2Splat: s(0x12),
  f32x4Splat: s(0x13),
  f32x4Pmin: s(0xea),
  f32x4Pmax: s(0xeb),
  f32x4ExtractLane: (l: number): Code => s(0x1f, l),
  f64x2PromoteLow: s(0x5f),
  f32x4DemoteZero: s(0x5e),
  i32x4TruncSatF64x2SZero: s(0xfc),
  i64x2ExtendLowI32x4S: s(0xc7),
  i32x4ShrS: s(0xac),
  i32x4Shl: s(0xab),
  i32x4Sub: s(0xb1),
  i64x2Add: s(0xce),
  i64x2Shl: s(0xcb),
  f64x2Add: s(0xf0),
  f64x2Sub: s(0xf1),
  f64x2Mul: s(0xf2),
  f64x2Div: s(0xf3),
  /** pmin(a, b) = b < a ? b : a, pmax(a, b) = a < b ? b : a (pseudo-min/max: one instruction, the comparison's operand on NaN). */
  f64x2Pmin: s(0xf6),
  f64x2Pmax: s(0xf7),
  f64x2Abs: s(0xec),
  f64x2Neg: s(0xed),
  f64x2Gt: s(0x4a),
  f64x2Eq: s(0x47),
  f64x2Lt: s(0x49),
  f64x2Le: s(0x4b),
  f64x2Ge: s(0x4c),
  and: s(0x4e),
  andnot: s(0x4f),
  or: s(0x50),
  xor: s(0x51),
  anyTrue: s(0x53),
  f32x4Sub: s(0xe5),
  bitselect: s(0x52),
  i64x2AllTrue: s(0xc3),
  i64x2ShrU: s(0xcd),
  i64x2ShrS: s(0xcc),
  i64x2Sub: s(0xd1),
  f64x2ConvertLowI32x4S: s(0xfe),
};

/** The concatenation of code fragments. */
export const cat = (...parts: Code[]): Code => parts.flat();

/** Local indices handed out in order after a function's params, with their types (its `Func.locals`). */
export class Locals {
  readonly types: number[] = [];
  constructor(private readonly params: number) {}
  add(type: number): number {
    this.types.push(type);
    return this.params + this.types.length - 1;
  }
}

export interface Func {
  name: string;
  params: number[];
  results: number[];
  /** Extra locals by type, after the params. */
  locals: number[];
  body: Code;
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];
const name = (n: string): number[] => [...uleb(n.length), ...Array.from(n, (c) => c.charCodeAt(0))];

/**
 * A module of the functions (all exported under their names) and a memory of at least `pages`
 * 64 KiB pages: its own, exported as "memory", or with `importMemory` the instantiator's
 * `env.memory` (so kernels of two modules can work on the same arrays).
 */
export function assemble(funcs: Func[], pages: number, options: { importMemory?: boolean } = {}): Uint8Array {
  const types = funcs.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))]);
  const typeSec = section(1, vec(types));
  const importSec = options.importMemory ? section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, ...uleb(pages)]])) : [];
  const funcSec = section(3, vec(funcs.map((_, i) => uleb(i))));
  const memSec = options.importMemory ? [] : section(5, vec([[0x00, ...uleb(pages)]]));
  const memoryExport = options.importMemory ? [] : [[...name('memory'), 0x02, 0]];
  const exports = [...memoryExport, ...funcs.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])];
  const exportSec = section(7, vec(exports));
  const bodies = funcs.map((f) => {
    const locals = vec(f.locals.map((t) => [1, t]));
    const body = [...locals, ...f.body, 0x0b];
    return [...uleb(body.length), ...body];
  });
  const codeSec = section(10, vec(bodies));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...typeSec, ...importSec, ...funcSec, ...memSec, ...exportSec, ...codeSec]);
}
