/**
 * The source of the WebAssembly SIMD (f64x2) GEMM kernels behind src/core/training/linearWasm.ts
 * (Linear's forward $x W^\top + b$ and backward $G^\top x$), written with assembler.ts. A module
 * of its own, kept under 4 KB so browsers compile it synchronously on the main thread.
 * `npm run generate` embeds it in src/core/math/wasmGemmBinary.ts.
 *
 * Shapes the caller guarantees (linearWasm.ts pads with zeros): every row of x and W has `kp`
 * entries, kp a multiple of 4; forward's row count is even. Pointers are byte offsets, 16-aligned.
 */
import { assemble, cat, I32, Locals, op, simd, V128, type Code, type Func } from './assembler';

/** Outputs per block: 2·BLOCK f64x2 accumulators (two rows, or four k), below x64's 16 vector registers. */
export const BLOCK = 5;

const get = op.localGet;
const set = op.localSet;
const tee = op.localTee;
const i32GtS: Code = [0x4a];
const add = (local: number, bytes: Code): Code => cat(get(local), bytes, op.i32Add, set(local));
/** acc += a·b for v128 locals. */
const madd = (acc: number, a: number, b: number): Code => cat(get(acc), get(a), get(b), simd.f64x2Mul, simd.f64x2Add, set(acc));

/** x as f32 or f64: its element size and how two of its entries at `ptr + offset` become an f64x2. */
interface XType {
  suffix: 'F32' | 'F64';
  bytes: number;
  load(ptr: number, offset: number): Code;
}
const F32X: XType = { suffix: 'F32', bytes: 4, load: (p, off) => cat(get(p), simd.load64Zero(off), simd.f64x2PromoteLow) };
const F64X: XType = { suffix: 'F64', bytes: 8, load: (p, off) => cat(get(p), simd.load(off)) };

/**
 * forward{F32,F64}(x, w, b, y, rows, kp, outF): y[r, o] = b[o] + Σ_k x[r, k] w[o, k] for an even
 * number of rows. Pairs of rows by blocks of `BLOCK` outputs (then single outputs), k two at a
 * time in the f64x2 lanes: each W vector is loaded once per two rows. (Not unrolled further:
 * the module would pass 4 KB.)
 */
function forward(t: XType): Func {
  const [X, W, B, Y, ROWS, KP, OUTF] = [0, 1, 2, 3, 4, 5, 6];
  const L = new Locals(7);
  const r = L.add(I32), o = L.add(I32), k = L.add(I32), xRow = L.add(I32), wRow = L.add(I32);
  const xa = L.add(I32), xb = L.add(I32), ya = L.add(I32), yb = L.add(I32);
  const wp = Array.from({ length: BLOCK }, () => L.add(I32));
  const acc = Array.from({ length: 2 * BLOCK }, () => L.add(V128));
  const va = L.add(V128), vb = L.add(V128), vw = L.add(V128), zero = L.add(V128), yo = L.add(I32), bp = L.add(I32);

  /** One block of `bo` outputs starting at o, for the row pair xa/xb. */
  const block = (bo: number): Code => {
    const step = (): Code => {
      const parts: Code[] = [t.load(xa, 0), set(va), t.load(xb, 0), set(vb)];
      for (let j = 0; j < bo; j++) {
        const [a, c] = [acc[j]!, acc[BLOCK + j]!];
        parts.push(get(a), get(va), get(wp[j]!), simd.load(), tee(vw), simd.f64x2Mul, simd.f64x2Add, set(a), madd(c, vb, vw));
      }
      return cat(...parts);
    };
    const parts: Code[] = [];
    // w pointers: W + (o + j) kp 8; x pointers at the row starts
    for (let j = 0; j < bo; j++) parts.push(get(W), get(o), op.i32(j), op.i32Add, get(wRow), op.i32Mul, op.i32Add, set(wp[j]!));
    parts.push(get(X), get(r), get(xRow), op.i32Mul, op.i32Add, tee(xa), get(xRow), op.i32Add, set(xb));
    for (let j = 0; j < bo; j++) parts.push(get(zero), set(acc[j]!), get(zero), set(acc[BLOCK + j]!));
    parts.push(
      op.i32(0), set(k),
      op.block, op.loop,
      get(k), get(KP), op.i32GeS, op.brIf(1),
      step(),
      add(xa, op.i32(2 * t.bytes)), add(xb, op.i32(2 * t.bytes)),
    );
    for (let j = 0; j < bo; j++) parts.push(add(wp[j]!, op.i32(16)));
    parts.push(add(k, op.i32(2)), op.br(0), op.end, op.end);
    // y[r, o + j] = b[o + j] + (lane0 + lane1)
    parts.push(get(B), get(o), op.i32(3), op.i32Shl, op.i32Add, set(bp));
    for (const [yr, base] of [[ya, 0], [yb, BLOCK]] as const) {
      parts.push(get(yr), get(o), op.i32(3), op.i32Shl, op.i32Add, set(yo));
      for (let j = 0; j < bo; j++) {
        const a = acc[base + j]!;
        parts.push(
          get(yo), get(bp), op.f64Load(8 * j),
          get(a), simd.f64x2ExtractLane(0), get(a), simd.f64x2ExtractLane(1), op.f64Add, op.f64Add,
          op.f64Store(8 * j),
        );
      }
    }
    parts.push(add(o, op.i32(bo)));
    return cat(...parts);
  };

  const body = cat(
    op.f64(0), simd.f64x2Splat, set(zero),
    get(KP), op.i32(t.bytes), op.i32Mul, set(xRow),
    get(KP), op.i32(8), op.i32Mul, set(wRow),
    op.i32(0), set(r),
    op.block, op.loop,
    get(r), get(ROWS), op.i32GeS, op.brIf(1),
    get(Y), get(r), get(OUTF), op.i32Mul, op.i32(3), op.i32Shl, op.i32Add, tee(ya), get(OUTF), op.i32(3), op.i32Shl, op.i32Add, set(yb),
    op.i32(0), set(o),
    op.block, op.loop,
    get(o), op.i32(BLOCK), op.i32Add, get(OUTF), i32GtS, op.brIf(1),
    block(BLOCK),
    op.br(0), op.end, op.end,
    op.block, op.loop,
    get(o), get(OUTF), op.i32GeS, op.brIf(1),
    block(1),
    op.br(0), op.end, op.end,
    add(r, op.i32(2)),
    op.br(0), op.end, op.end,
  );
  return { name: `forward${t.suffix}`, params: [I32, I32, I32, I32, I32, I32, I32], results: [], locals: L.types, body };
}

/**
 * backward{F32,F64}(x, gs, gw, rows, kp, outF): gw[o, k] += Σ_r g[r, o] x[r, k], where gs holds
 * each g[r, o] splatted to an f64x2 (row-major [rows, outF] of 16 bytes). Blocks of `BLOCK`
 * outputs (then single outputs) by four k in two f64x2 accumulators each, summed over all rows
 * in registers, then added to gw once.
 */
function backward(t: XType): Func {
  const [X, GS, GW, ROWS, KP, OUTF] = [0, 1, 2, 3, 4, 5];
  const L = new Locals(6);
  const o = L.add(I32), k = L.add(I32), r = L.add(I32), xRow = L.add(I32), gRow = L.add(I32), xp = L.add(I32), gp = L.add(I32), wp = L.add(I32);
  const acc = Array.from({ length: 2 * BLOCK }, () => L.add(V128));
  const v0 = L.add(V128), v1 = L.add(V128), vg = L.add(V128), zero = L.add(V128);

  const block = (bo: number): Code => {
    const parts: Code[] = [op.i32(0), set(k), op.block, op.loop, get(k), get(KP), op.i32GeS, op.brIf(1)];
    for (let j = 0; j < bo; j++) parts.push(get(zero), set(acc[j]!), get(zero), set(acc[BLOCK + j]!));
    parts.push(
      get(X), get(k), op.i32(t.bytes), op.i32Mul, op.i32Add, set(xp),
      get(GS), get(o), op.i32(4), op.i32Shl, op.i32Add, set(gp),
      get(ROWS), set(r),
      op.block, op.loop,
      get(r), op.i32Eqz, op.brIf(1),
      t.load(xp, 0), set(v0), t.load(xp, 2 * t.bytes), set(v1),
    );
    for (let j = 0; j < bo; j++) {
      const [a, c] = [acc[j]!, acc[BLOCK + j]!];
      parts.push(get(a), get(v0), get(gp), simd.load(16 * j), tee(vg), simd.f64x2Mul, simd.f64x2Add, set(a), madd(c, vg, v1));
    }
    parts.push(add(xp, get(xRow)), add(gp, get(gRow)), add(r, op.i32(-1)), op.br(0), op.end, op.end);
    // gw[o + j, k .. k + 3] += acc
    parts.push(get(GW), get(o), get(KP), op.i32Mul, get(k), op.i32Add, op.i32(3), op.i32Shl, op.i32Add, set(wp));
    for (let j = 0; j < bo; j++) {
      for (const [a, off] of [[acc[j]!, 0], [acc[BLOCK + j]!, 16]] as const) {
        parts.push(get(wp), get(wp), simd.load(off), get(a), simd.f64x2Add, simd.store(off));
      }
      if (j + 1 < bo) parts.push(add(wp, cat(get(KP), op.i32(3), op.i32Shl)));
    }
    parts.push(add(k, op.i32(4)), op.br(0), op.end, op.end, add(o, op.i32(bo)));
    return cat(...parts);
  };

  const body = cat(
    op.f64(0), simd.f64x2Splat, set(zero),
    get(KP), op.i32(t.bytes), op.i32Mul, set(xRow),
    get(OUTF), op.i32(4), op.i32Shl, set(gRow),
    op.i32(0), set(o),
    op.block, op.loop,
    get(o), op.i32(BLOCK), op.i32Add, get(OUTF), i32GtS, op.brIf(1),
    block(BLOCK),
    op.br(0), op.end, op.end,
    op.block, op.loop,
    get(o), get(OUTF), op.i32GeS, op.brIf(1),
    block(1),
    op.br(0), op.end, op.end,
  );
  return { name: `backward${t.suffix}`, params: [I32, I32, I32, I32, I32, I32], results: [], locals: L.types, body };
}

/** The embedded module: forwardF32, forwardF64, backwardF32, backwardF64; 1 page of memory (the caller grows it). */
export function gemmModule(): Uint8Array {
  return assemble([forward(F32X), forward(F64X), backward(F32X), backward(F64X)], 1);
}
