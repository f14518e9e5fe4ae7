/**
 * The source of the WebAssembly SIMD (f64x2) rows of tripletMarginLoss at p = 2 without the swap,
 * which src/core/math/wasmTriplet.ts loads: euclideanRow's steps (src/core/losses/tripletMarginLoss.ts)
 * on float32 anchor, positive and negative rows, operation for operation, so both give the same
 * bits; the tests check that. The module imports its memory: it runs on the memory of the
 * elementwise kernels (wasmElementwise.ts), whose staging area it uses while it runs, so the
 * arrays of kernelArrays are read in place. `npm run generate` embeds it in
 * src/core/math/wasmTripletBinary.ts.
 */
import { assemble, cat, F64, I32, Locals, op, simd, V128, type Code, type Func } from './assembler';

/**
 * Where a call's staged rows sit in the shared memory (bytes): anchor, positive, negative, then
 * the three gradients, 4 TRIPLET_BLOCK bytes each (TRIPLET_BLOCK float32 elements, or half as
 * many float64 gradients), then a pair of f64 per row (its loss, and 1 where the row is left to
 * TypeScript), at most TRIPLET_RES_ROWS rows. All of it lies in the staging blocks of the
 * elementwise kernels, below the softplus tables (98304).
 */
export const TRIPLET_BLOCK = 3584;
export const TRIPLET_RES_AT = 6 * 4 * TRIPLET_BLOCK;
export const TRIPLET_RES_ROWS = (98304 - TRIPLET_RES_AT) / 16;
/** The memory's least size in pages (the staging area: 2 pages). */
const PAGES = 2;

const get = op.localGet;
const set = op.localSet;

/** The smallest sum of squares taken: below it some squares may have underflowed (tripletMarginLoss's `root`). */
const LEAST_SUM = 2 ** -960;

/**
 * tripletRows(a, p, n, ga, gp, gn, res, rows, cols, margin, eps, scale, grad) over `rows` rows of
 * `cols` (even) float32 elements at byte offsets a, p, n: per row, u = (a - p) + ε and
 * v = (a - n) + ε, Σ u² and Σ v² in two lanes (even and odd elements, as differences2's two
 * accumulators) added at the end; where both sums lie in [2^-960, ∞): d⁺ = √Σu², d⁻ = √Σv²,
 * z = (m + d⁺) - d⁻, res = (z > 0 ? z : 0, 0), and when grad is 1 the gradients
 * ga = (c⁺ u) - (c⁻ v), gp = 0 - c⁺ u, gn = c⁻ v with c⁺ = scale / d⁺, c⁻ = scale / d⁻ (zeros
 * where z < 0), stored as float32 (`f32`) or float64. Any other row gets res = (0, 1) and
 * nothing else: the caller takes it.
 */
function tripletRows(name: string, f32: boolean): Func {
  const [A, P, N, GA, GP, GN, RES, ROWS, COLS, MARGIN, EPS, SCALE, GRAD] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  const L = new Locals(13);
  const r = L.add(I32), j = L.add(I32), o = L.add(I32), end = L.add(I32), ro = L.add(I32);
  const sa = L.add(F64), sn = L.add(F64), dap = L.add(F64), dan = L.add(F64), z = L.add(F64);
  const ev = L.add(V128), zero = L.add(V128), sap = L.add(V128), san = L.add(V128), av = L.add(V128), u = L.add(V128), v = L.add(V128), cap = L.add(V128), can = L.add(V128), s = L.add(V128);
  const input = (base: number) => cat(get(base), get(j), op.i32Add, simd.load64Zero(), simd.f64x2PromoteLow);
  // where the gradients of the pair at j go: byte offset j of float32 rows, 2 j of float64 ones
  const gradAt = (base: number) => cat(get(base), get(j), f32 ? [] : cat(op.i32(1), op.i32Shl), op.i32Add);
  const store = (value: Code) => (f32 ? cat(value, simd.f32x4DemoteZero, simd.store64Lane0()) : cat(value, simd.store()));
  // u = (a - p) + ε and v = (a - n) + ε for the pair at j
  const differences = cat(
    input(A), set(av),
    get(av), input(P), simd.f64x2Sub, get(ev), simd.f64x2Add, set(u),
    get(av), input(N), simd.f64x2Sub, get(ev), simd.f64x2Add, set(v),
  );
  // body for every pair of the row: j from o to end, 8 bytes a step
  const pairs = (body: Code) => cat(
    get(o), set(j),
    op.block, op.loop,
    get(j), get(end), op.i32GeS, op.brIf(1),
    body,
    get(j), op.i32(8), op.i32Add, set(j),
    op.br(0),
    op.end, op.end,
  );
  const inRange = (x: number) => cat(op.f64(LEAST_SUM), get(x), op.f64Le, get(x), op.f64(Infinity), op.f64Lt, op.i32And);
  const body = cat(
    get(EPS), simd.f64x2Splat, set(ev),
    op.f64(0), simd.f64x2Splat, set(zero),
    op.i32(0), set(r),
    op.block, op.loop,
    get(r), get(ROWS), op.i32GeS, op.brIf(1),
    get(r), get(COLS), op.i32Mul, op.i32(2), op.i32Shl, set(o),
    get(o), get(COLS), op.i32(2), op.i32Shl, op.i32Add, set(end),
    get(RES), get(r), op.i32(4), op.i32Shl, op.i32Add, set(ro),
    get(zero), set(sap), get(zero), set(san),
    pairs(cat(
      differences,
      get(sap), get(u), get(u), simd.f64x2Mul, simd.f64x2Add, set(sap),
      get(san), get(v), get(v), simd.f64x2Mul, simd.f64x2Add, set(san),
    )),
    get(sap), simd.f64x2ExtractLane(0), get(sap), simd.f64x2ExtractLane(1), op.f64Add, set(sa),
    get(san), simd.f64x2ExtractLane(0), get(san), simd.f64x2ExtractLane(1), op.f64Add, set(sn),
    inRange(sa), inRange(sn), op.i32And,
    op.if,
    get(sa), op.f64Sqrt, set(dap),
    get(sn), op.f64Sqrt, set(dan),
    get(MARGIN), get(dap), op.f64Add, get(dan), op.f64Sub, set(z),
    get(ro), get(z), op.f64(0), get(z), op.f64(0), op.f64Gt, op.select, op.f64Store(0),
    get(ro), op.f64(0), op.f64Store(8),
    get(GRAD),
    op.if,
    get(z), op.f64(0), op.f64Ge,
    op.if,
    get(SCALE), get(dap), op.f64Div, simd.f64x2Splat, set(cap),
    get(SCALE), get(dan), op.f64Div, simd.f64x2Splat, set(can),
    pairs(cat(
      differences,
      get(cap), get(u), simd.f64x2Mul, set(s),
      get(can), get(v), simd.f64x2Mul, set(v),
      gradAt(GA), store(cat(get(s), get(v), simd.f64x2Sub)),
      gradAt(GP), store(cat(get(zero), get(s), simd.f64x2Sub)),
      gradAt(GN), store(get(v)),
    )),
    op.else,
    pairs(cat(gradAt(GA), store(get(zero)), gradAt(GP), store(get(zero)), gradAt(GN), store(get(zero)))),
    op.end,
    op.end,
    op.else,
    get(ro), op.f64(0), op.f64Store(0),
    get(ro), op.f64(1), op.f64Store(8),
    op.end,
    get(r), op.i32(1), op.i32Add, set(r),
    op.br(0),
    op.end, op.end,
  );
  return { name, params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, F64, F64, F64, I32], results: [], locals: L.types, body };
}

/** The embedded module: the rows with float32 and with float64 gradients, on an imported memory of at least 2 pages. */
export function tripletModule(): Uint8Array {
  return assemble([tripletRows('tripletRowsF32', true), tripletRows('tripletRowsF64', false)], PAGES, { importMemory: true });
}
