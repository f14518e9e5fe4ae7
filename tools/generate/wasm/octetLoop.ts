/**
 * The loop of the WebAssembly SIMD (f64x2) elementwise kernels (elementwiseKernelsSource.ts,
 * softplusKernelsSource.ts), written with assembler.ts: one block of the elementwise loop (sumLoop
 * in src/core/losses/elementwise.ts) for float32 input, target and gradient, around a loss's code
 * for two elements. The loss's code follows its term and slope operation for operation and the
 * loop follows sumLoop's eight lanes, so both give the same bits; the tests check that.
 */
import { cat, F64, I32, Locals, op, simd, V128, type Code, type Func } from './assembler';
import { planStages } from './pairStages';
import { statements } from './statements';

const get = op.localGet;
const set = op.localSet;

/** The v128 locals a loss's pair code works in: the two elements' x and y, and what it leaves. */
export interface Pair {
  x: number;
  y: number;
  /** The two terms ℓ. */
  l: number;
  /** The two slopes c · ∂ℓ/∂x. */
  g: number;
  /** Scratch. */
  d: number;
  e: number;
  /** Constants the loss's setup splats once: c (the scale), a and b (the parameters), and its own. */
  c: number;
  a: number;
  b: number;
  k: number[];
  /** All ones at the start; a loss with `mayRefuse` clears the lanes whose elements it cannot take. */
  keep: number;
}

/** A loss: its own locals, constants computed once from c, a and b (into p.k), then the code of one pair. */
export interface PairLoss<S = null> {
  name: string;
  constants: number;
  scratch: (L: Locals) => S;
  setup: (p: Pair, s: S) => Code;
  pair: (p: Pair, s: S) => Code;
  /** Whether the pair code clears lanes of p.keep (the block then returns NaN, to be run in TypeScript). */
  mayRefuse?: boolean;
  /**
   * 'octet' (default): eight elements per iteration, the pair code written four times; 'pair': two
   * per iteration, the pair code once and the accumulators rotated (for long pair code, which
   * would otherwise not fit a 4 KB module), cut into `stages` loops (pairStages.ts).
   */
  unroll?: 'octet' | 'pair';
  /**
   * With 'pair': how many loops the pair code is cut into (default 1), each run over a chunk of
   * CHUNK pairs before the next, the locals they hand on kept in the scratch memory that the
   * module gives octetLoop. The pair code carries nothing from one pair to the next but p.keep,
   * which it only ANDs into.
   */
  stages?: number;
}

/** The pairs each stage of a 'pair' loop runs over before the next stage starts. */
export const CHUNK = 32;

/** Memory a loop may use for the call, `bytes` from `at`: what a 'pair' loop's stages hand on, or an 'octet' loop's constants. */
export interface Scratch {
  at: number;
  bytes: number;
}

/** A splat of an f64 immediate. */
export const splat = (v: number): Code => cat(op.f64(v), simd.f64x2Splat);

/**
 * name(x, y, out, octets, c, a, b, check) -> f64: over 8·octets float32 elements, four f64x2
 * accumulators, A_k holding the lanes 2k and 2k + 1 of sumLoop's eight (element i in lane
 * i mod 8), out_i = f32(c ∂ℓ/∂x_i); after each 64 elements the lanes of (A_0 + A_1) + (A_2 + A_3)
 * added, ((l0 + l2) + (l4 + l6)) + ((l1 + l3) + (l5 + l7)), go into the block's sum with its error
 * (TwoSum) and the accumulators restart at 0 (sumLoop's folds, math/laneSums.ts); returns that
 * sum plus its error (the sum alone where it is not finite), or NaN when check = 1 and a stored gradient
 * is not finite. sumLoop adds v - v to each term instead (v the stored gradient): 0 when v is
 * finite, which changes no lane's bits (a lane starts at +0 and is never -0), NaN otherwise; the
 * kernel ORs the float32 v - v of every stored vector (one op per four elements, where the
 * loop's form took four per pair). With check = 0 it skips that work: for callers that know no
 * stored gradient can be ±Infinity or NaN (elementwiseWasm.ts: a loss whose |∂ℓ/∂x| is bounded,
 * on finite arguments). A loss with `mayRefuse` also returns NaN when a pair cleared a
 * lane of p.keep (its caller then runs the block in TypeScript, which takes every case).
 */
export function octetLoop<S>(loss: PairLoss<S>, memory?: Scratch): Func {
  const [X, Y, OUT, OCTETS, C, A, B, CHECK] = [0, 1, 2, 3, 4, 5, 6, 7];
  const L = new Locals(8);
  const i = L.add(I32),
    end = L.add(I32);
  const v = () => L.add(V128);
  const p: Pair = { x: v(), y: v(), l: v(), g: v(), d: v(), e: v(), c: v(), a: v(), b: v(), keep: v(), k: Array.from({ length: loss.constants }, v) };
  const scratch = loss.scratch(L);
  // the locals set before the loop and only read in it (p.keep aside, which a pair code may AND into)
  const constants = [p.c, p.a, p.b, ...p.k];
  const acc = [v(), v(), v(), v()];
  const bad = v(),
    w = v(),
    x4 = v(),
    y4 = v(),
    g0 = v();
  const LOWS = [0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23];
  // the block's sum of its 64-element folds and that sum's error; the fold's part, TwoSum's t and bb
  const [sum, err, part, t, bb] = [L.add(F64), L.add(F64), L.add(F64), L.add(F64), L.add(F64)];
  const subEnd = L.add(I32);
  // sumLoop's fold (math/laneSums.ts): the lanes of (A_0 + A_1) + (A_2 + A_3) added, into sum with
  // its error (TwoSum), the accumulators cleared
  const fold = cat(
    get(acc[0]!),
    get(acc[1]!),
    simd.f64x2Add,
    get(acc[2]!),
    get(acc[3]!),
    simd.f64x2Add,
    simd.f64x2Add,
    set(w),
    get(w),
    simd.f64x2ExtractLane(0),
    get(w),
    simd.f64x2ExtractLane(1),
    op.f64Add,
    set(part),
    get(sum),
    get(part),
    op.f64Add,
    set(t),
    get(t),
    get(sum),
    op.f64Sub,
    set(bb),
    get(err),
    get(sum),
    get(t),
    get(bb),
    op.f64Sub,
    op.f64Sub,
    get(part),
    get(bb),
    op.f64Sub,
    op.f64Add,
    op.f64Add,
    set(err),
    get(t),
    set(sum),
    ...acc.map((a) => cat(splat(0), set(a))),
  );
  // the pair's float32 gradient into w, its terms into accumulator k
  const accumulate = (k: number) => cat(get(p.g), simd.f32x4DemoteZero, set(w), get(acc[k]!), get(p.l), simd.f64x2Add, set(acc[k]!));
  // the pair in the low floats of x4 and y4 into accumulator k, its float32 gradient left in w
  const pair = (k: number) => cat(get(x4), simd.f64x2PromoteLow, set(p.x), get(y4), simd.f64x2PromoteLow, set(p.y), loss.pair(p, scratch), accumulate(k));
  // four elements at byte i + offset: two pairs, into accumulators k and k + 1
  // when check = 1, the stored gradients v (in w): bad |= v - v (0 bits unless one is not finite);
  // a branch on the parameter skips it for callers whose gradients cannot overflow (one scalar
  // test, no vector op)
  const checkStored = cat(get(CHECK), op.if, get(bad), get(w), get(w), simd.f32x4Sub, simd.or, set(bad), op.end);
  const half = (k: number, offset: number) =>
    cat(
      get(X),
      get(i),
      op.i32Add,
      simd.load64Zero(offset),
      set(x4),
      get(Y),
      get(i),
      op.i32Add,
      simd.load64Zero(offset),
      set(y4),
      pair(k),
      get(w),
      set(g0),
      // the next two floats, the next pair
      get(X),
      get(i),
      op.i32Add,
      simd.load64Zero(offset + 8),
      set(x4),
      get(Y),
      get(i),
      op.i32Add,
      simd.load64Zero(offset + 8),
      set(y4),
      pair(k + 1),
      get(OUT),
      get(i),
      op.i32Add,
      get(g0),
      get(w),
      simd.shuffle(LOWS),
      op.localTee(w),
      simd.store(offset),
      checkStored,
    );
  // 'pair': the chunk of n pairs from byte i, stage after stage (pairStages.ts); in the last, each
  // pair into accumulator 0, then the accumulators rotated (pair j is in A_(j mod 4) of the unrolled form)
  const staged = (): Code => {
    const count = loss.stages ?? 1;
    const plan = planStages(loss.pair(p, scratch), count, [p.x, p.y], [p.l, p.g], new Set([...constants, p.keep]));
    const width = Math.max(0, ...plan.carries.map((c) => c.length));
    const region = CHUNK * 16 * width;
    if (width > 0 && !(memory && 2 * region <= memory.bytes)) {
      throw new Error(`octetLoop: ${loss.name}'s ${count} stages hand on ${width} vectors a pair: ${2 * region} bytes of scratch memory, given ${memory?.bytes ?? 0}`);
    }
    const [j, n, slots] = [L.add(I32), L.add(I32), L.add(I32)];
    // the byte of pair j in x, y and out; the first byte of its slots in region b % 2
    const at = cat(get(i), get(j), op.i32(3), op.i32Shl, op.i32Add);
    const slot = (b: number, q: number) => memory!.at + (b % 2) * region + 16 * q;
    const load = (base: number, into: number) => cat(get(base), at, op.i32Add, simd.load64Zero(), simd.f64x2PromoteLow, set(into));
    const stage = (g: number) =>
      cat(
        op.i32(0),
        set(j),
        op.block,
        op.loop,
        get(j),
        get(n),
        op.i32GeS,
        op.brIf(1),
        width > 0 ? cat(get(j), op.i32(16 * width), op.i32Mul, set(slots)) : [],
        g === 0 ? cat(load(X, p.x), load(Y, p.y)) : plan.carries[g - 1]!.flatMap((l, q) => cat(get(slots), simd.load(slot(g, q)), set(l))),
        plan.stages[g]!,
        g < count - 1
          ? plan.carries[g]!.flatMap((l, q) => cat(get(slots), get(l), simd.store(slot(g + 1, q))))
          : cat(
              accumulate(0),
              get(acc[1]!),
              get(acc[2]!),
              get(acc[3]!),
              get(acc[0]!),
              set(acc[3]!),
              set(acc[2]!),
              set(acc[1]!),
              set(acc[0]!),
              get(OUT),
              at,
              op.i32Add,
              get(w),
              simd.store64Lane0(),
              checkStored,
            ),
        get(j),
        op.i32(1),
        op.i32Add,
        set(j),
        op.br(0),
        op.end,
        op.end,
      );
    return cat(
      // n = min(CHUNK, (end - i) / 8)
      op.i32(CHUNK),
      get(end),
      get(i),
      op.i32Sub,
      op.i32(3),
      op.i32ShrS,
      op.localTee(n),
      get(n),
      op.i32(CHUNK),
      op.i32GeS,
      op.select,
      set(n),
      ...Array.from({ length: count }, (_, g) => stage(g)),
      get(i),
      get(n),
      op.i32(3),
      op.i32Shl,
      op.i32Add,
      set(i),
    );
  };
  // 'octet' with memory: the constants the pair code reads are stored there once and loaded at the
  // top of each iteration (V8 would otherwise splat or rematerialize them in the loop, on the vector
  // pipes: about one instruction an element); loads use the load ports
  const read = new Set(statements(loss.pair(p, scratch)).flatMap((s) => s.accesses.filter((a) => !a.write).map((a) => a.index)));
  const held = loss.unroll !== 'pair' && memory ? constants.filter((l) => read.has(l)) : [];
  if (16 * held.length > (memory?.bytes ?? 0)) throw new Error(`octetLoop: ${loss.name}'s ${held.length} constants need ${16 * held.length} bytes of memory`);
  const store = cat(...held.map((l, q) => cat(op.i32(0), get(l), simd.store(memory!.at + 16 * q))));
  const reload = cat(...held.map((l, q) => cat(op.i32(0), simd.load(memory!.at + 16 * q), set(l))));
  const body = cat(
    get(C),
    simd.f64x2Splat,
    set(p.c),
    get(A),
    simd.f64x2Splat,
    set(p.a),
    get(B),
    simd.f64x2Splat,
    set(p.b),
    op.i32(-1),
    simd.i32x4Splat,
    set(p.keep),
    loss.setup(p, scratch),
    store,
    ...[...acc, bad].map((a) => cat(splat(0), set(a))),
    get(OCTETS),
    op.i32(5),
    op.i32Shl,
    set(end),
    op.i32(0),
    set(i),
    op.block,
    op.loop,
    get(i),
    get(end),
    op.i32GeS,
    op.brIf(1),
    // 64 elements (256 bytes: a 'pair' loop's chunk, or eight octets), then the fold
    loss.unroll === 'pair'
      ? staged()
      : cat(
          get(i),
          op.i32(256),
          op.i32Add,
          op.localTee(subEnd),
          get(end),
          get(subEnd),
          get(end),
          op.i32LtS,
          op.select,
          set(subEnd),
          op.block,
          op.loop,
          get(i),
          get(subEnd),
          op.i32GeS,
          op.brIf(1),
          reload,
          half(0, 0),
          half(2, 16),
          get(i),
          op.i32(32),
          op.i32Add,
          set(i),
          op.br(0),
          op.end,
          op.end,
        ),
    fold,
    op.br(0),
    op.end,
    op.end,
    // the block's sum: sum + err (sum itself where it is not finite, as compensated() in twoSum.ts)
    get(sum),
    get(err),
    op.f64Add,
    get(sum),
    get(sum),
    get(sum),
    op.f64Sub,
    op.f64(0),
    op.f64Eq,
    op.select,
    // NaN (as sumLoop's total, whose terms each add v - v) when checked and a gradient is not finite
    op.f64(NaN),
    get(CHECK),
    get(bad),
    simd.anyTrue,
    op.i32And,
    loss.mayRefuse ? cat(get(p.keep), simd.i64x2AllTrue, op.i32Eqz, op.i32Or) : [],
    op.i32Eqz,
    op.select,
  );
  return { name: loss.name, params: [I32, I32, I32, I32, F64, F64, F64, I32], results: [F64], locals: L.types, body };
}
