import { describe, expect, it } from 'vitest';
import { cat, op, simd } from '../../tools/generate/wasm/assembler';
import { planStages } from '../../tools/generate/wasm/pairStages';
import { statements } from '../../tools/generate/wasm/statements';

const get = op.localGet;
const set = op.localSet;

// locals: 0 x, 1 y, 2 l, 3 g, 4 keep, 5 c, then scratch 6.. 9
const [X, Y, L, G, KEEP, C, D, E, F, H] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
/** A pair code of five statements: d = x - y; e = d d; keep &= d == d; f = c d; l = e + f; g = f (tee'd through h). */
const code = cat(
  get(X),
  get(Y),
  simd.f64x2Sub,
  set(D),
  get(D),
  get(D),
  simd.f64x2Mul,
  set(E),
  get(KEEP),
  get(D),
  get(D),
  simd.f64x2Eq,
  simd.and,
  set(KEEP),
  get(C),
  get(D),
  simd.f64x2Mul,
  set(F),
  get(E),
  get(F),
  simd.f64x2Add,
  set(L),
  get(F),
  op.localTee(H),
  set(G),
);

describe('statements (reading back kernel code)', () => {
  it('cuts stack-neutral code where the stack is empty and lists each statement’s reads and writes in order', () => {
    const list = statements(code);
    expect(list.map((s) => s.accesses.map((a) => `${a.write ? 'w' : 'r'}${a.index}`).join(' '))).toEqual([
      'r0 r1 w6',
      'r6 r6 w7',
      'r4 r6 r6 w4',
      'r5 r6 w8',
      'r7 r8 w2',
      'r8 w9 w3',
    ]);
    expect(list.flatMap((s) => s.code)).toEqual(code);
  });

  it('reads immediates of every width: constants, lanes, shuffles and memory arguments', () => {
    const withImmediates = cat(
      op.i32(-70000),
      simd.i32x4Splat,
      op.f64(0.1),
      simd.f64x2Splat,
      simd.shuffle([0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23]),
      simd.i32x4ExtractLane(2),
      simd.load(100352),
      op.i64(1023n << 52n),
      simd.i64x2Splat,
      simd.f64x2Add,
      set(D),
    );
    expect(statements(withImmediates)).toHaveLength(1);
  });

  it('refuses code it cannot read: a block, an unknown SIMD opcode, a value left on the stack, a pop of an empty stack', () => {
    expect(() => statements(cat(op.block, op.end))).toThrow('statements: opcode 0x2 at byte 0 is not one it knows');
    expect(() => statements([0xfd, 0x7f])).toThrow('statements: SIMD opcode 0x7f at byte 0 is not one it knows');
    expect(() => statements(cat(get(X), get(Y)))).toThrow('statements: the code leaves 2 values on the stack');
    expect(() => statements(set(X))).toThrow('statements: the code pops an empty stack at byte 2');
  });
});

describe('planStages (a pair code cut into loops)', () => {
  const invariant = new Set([C, KEEP]);

  it('in one stage hands nothing on', () => {
    expect(planStages(code, 1, [X, Y], [L, G], invariant)).toEqual({ stages: [code], carries: [] });
  });

  it('carries across each cut what a later stage reads before writing it, not the invariants nor the ANDed keep', () => {
    // three stages of two statements: [d, e], [keep, f], [l, g]; d and e are read after the first
    // cut (f is written before it is read), e and f after the second (d no longer)
    const three = planStages(code, 3, [X, Y], [L, G], invariant);
    expect(three.stages.map((s) => statements(s).length)).toEqual([2, 2, 2]);
    expect(three.stages.flat()).toEqual(code);
    expect(three.carries).toEqual([
      [D, E],
      [E, F],
    ]);
    // two stages: [d, e, keep], [f, l, g]
    const two = planStages(code, 2, [X, Y], [L, G], invariant);
    expect(two.stages.map((s) => statements(s).length)).toEqual([3, 3]);
    expect(two.carries).toEqual([[D, E]]);
    // keep ANDed in both stages: carried, and its AND over the earlier pairs lost, unless it is one of the invariants
    const twice = cat(get(KEEP), get(X), get(X), simd.f64x2Eq, simd.and, set(KEEP), get(X), set(L), get(KEEP), get(Y), get(Y), simd.f64x2Eq, simd.and, set(KEEP), get(Y), set(G));
    expect(planStages(twice, 2, [X, Y], [L, G], new Set([C])).carries).toEqual([[KEEP, Y, L]]);
    expect(planStages(twice, 2, [X, Y], [L, G], invariant).carries).toEqual([[Y, L]]);
  });

  it('carries the term and the gradient to the loop after the last stage when an earlier one wrote them', () => {
    // l and g written first, then a statement that reads neither
    const early = cat(get(X), set(L), get(Y), set(G), get(X), get(Y), simd.f64x2Mul, set(D), get(D), get(D), simd.f64x2Add, set(E));
    const plan = planStages(early, 2, [X, Y], [L, G], invariant);
    expect(plan.carries[0]).toEqual(expect.arrayContaining([L, G]));
  });

  it('refuses more stages than statements, and a count that is not a positive integer', () => {
    expect(() => planStages(cat(get(X), set(D)), 2, [X, Y], [L, G], invariant)).toThrow('planStages: 1 statements do not make 2 stages');
    expect(() => planStages(code, 0, [X, Y], [L, G], invariant)).toThrow('planStages: count must be an integer >= 1, got 0');
  });
});
