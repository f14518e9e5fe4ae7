import { describe, expect, it } from 'vitest';
import { bceLogits } from '../../src/core/losses/bceFromLogits';
import { bceLogitsBlocks } from '../../src/core/losses/bceLogitsBlock';
import { elements, sumElements } from '../../src/core/losses/elementwise';

/** Deterministic pseudo-random numbers in [0, 1). */
function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Case {
  name: string;
  n: number;
  logit: (r: () => number, i: number) => number;
  target: (r: () => number, x: number, i: number) => number;
  ws?: number;
  q?: number;
}

const hard = (r: () => number) => (r() < 0.5 ? 0 : 1);
const CASES: Case[] = [
  { name: 'N(0, 4)-like logits, hard labels, three blocks and a partial one', n: 3 * 8192 + 13, logit: (r) => 16 * (r() - 0.5), target: hard },
  { name: 'soft targets, weight and posWeight', n: 20000, logit: (r) => 40 * (r() - 0.5), target: (r) => r(), ws: 0.75, q: 3 },
  // t = fl(σ(x)): the gradient cancels and the slope redoes it in double-double, so the loop takes those blocks
  {
    name: 'targets at σ(x) in the first block (cancelling gradients)',
    n: 17000,
    logit: (r) => 6 * (r() - 0.5),
    target: (r, x, i) => (i < 8192 ? Math.fround(1 / (1 + Math.exp(-x))) : hard(r)),
  },
  // beyond ±709 expUnchecked is not fastExp: the loop takes the block
  {
    name: 'logits beyond ±709 in the second block',
    n: 17000,
    logit: (r, i) => (i >= 8192 && i < 16384 && r() < 0.001 ? 800 * Math.sign(r() - 0.5) : 10 * (r() - 0.5)),
    target: hard,
  },
];

type Kind = 'float32' | 'float64' | 'mixed';

/** Runs the elementwise loop over the case with and without the blocks: sums and gradients (and how many blocks the block function took). */
function both(c: Case, withOut: boolean, kind: Kind = 'float32', outKind: 'float32' | 'float64' = 'float32') {
  const r = uniform(c.n);
  const x = new Float32Array(c.n);
  const y = new Float32Array(c.n);
  for (let i = 0; i < c.n; i++) {
    x[i] = c.logit(r, i);
    y[i] = c.target(r, x[i]!, i);
  }
  // float64: the same values widened, then every odd logit nudged off the float32 grid
  const x64 = Float64Array.from(x, (v, i) => (i & 1 ? v * (1 + 2 ** -40) : v));
  const [xs, ys] = kind === 'float32' ? [x, y] : kind === 'float64' ? [x64, Float64Array.from(y)] : [x, Float64Array.from(y)];
  const e = elements(xs, ys, null, c.ws ?? 1, null, c.q ?? 1, 0, 'mean', c.n);
  const s = withOut ? 1 / c.n : 0;
  const newOut = () => (withOut ? (outKind === 'float32' ? new Float32Array(c.n) : new Float64Array(c.n)) : null);
  const outLoop = newOut();
  const outFast = newOut();
  const loop = sumElements(bceLogits, e, outLoop, null, s);
  const fast = bceLogitsBlocks(e, outFast, null, s)!;
  let taken = 0;
  const counted = Object.assign(
    (from: number, to: number) => {
      const part = fast(from, to);
      if (part !== undefined) taken++;
      return part;
    },
    fast.error ? { error: fast.error } : {},
  );
  const sum = sumElements(bceLogits, e, outFast, null, s, counted);
  return { loop, sum, outLoop, outFast, taken, blocks: Math.ceil(c.n / 8192) };
}

const sameBits = (a: ArrayLike<number>, b: ArrayLike<number>) => a.length === b.length && Array.from(a).every((v, i) => Object.is(v, b[i]));

describe('binaryCrossEntropyWithLogits blocks (bceLogitsBlock.ts)', () => {
  for (const c of CASES) {
    for (const [kind, outKind] of [
      ['float32', 'float32'],
      ['float32', 'float64'],
      ['float64', 'float64'],
      ['float64', 'float32'],
      ['mixed', 'float64'],
    ] as const) {
      it(`give the loop's bits: ${c.name} (${kind} arguments, ${outKind} gradient)`, () => {
        for (const withOut of [true, false]) {
          const r = both(c, withOut, kind, outKind);
          expect(Number.isFinite(r.loop)).toBe(true);
          expect(Object.is(r.sum, r.loop), `${r.sum} vs ${r.loop}`).toBe(true);
          if (r.outLoop && r.outFast) expect(sameBits(r.outFast, r.outLoop)).toBe(true);
          expect(r.taken).toBeGreaterThan(0);
        }
      });
    }
  }

  it('take every block of plain data, and leave the loop the blocks they cannot match', () => {
    for (const kind of ['float32', 'float64'] as const) {
      expect(both(CASES[0]!, true, kind).taken).toBe(4);
      expect(both(CASES[2]!, true, kind).taken).toBe(2);
      expect(both(CASES[2]!, false, kind).taken).toBe(3);
      expect(both(CASES[3]!, true, kind).taken).toBe(2);
    }
  });

  it("hand the loop each float64 block's compensation: without it the total differs", () => {
    const c = CASES[1]!;
    const r = uniform(5);
    const n = 4 * 8192;
    const x = Float64Array.from({ length: n }, () => 40 * (r() - 0.5));
    const y = Float64Array.from({ length: n }, () => r());
    const e = elements(x, y, null, c.ws!, null, c.q!, 0, 'sum', n);
    const fast = bceLogitsBlocks(e, null, null, 0)!;
    expect(fast.error).toBeInstanceOf(Float64Array);
    const loop = sumElements(bceLogits, e, null, null, 0);
    const withError = sumElements(bceLogits, e, null, null, 0, fast);
    const errors: number[] = [];
    const dropped = sumElements(bceLogits, e, null, null, 0, (from, to) => {
      const part = fast(from, to);
      errors.push(fast.error![0]!);
      return part;
    });
    expect(Object.is(withError, loop)).toBe(true);
    expect(errors.some((v) => v !== 0)).toBe(true);
    expect(dropped).not.toBe(loop);
  });

  it('are not used where they do not apply (per-element weights, smoothing, per-item values)', () => {
    const x32 = new Float32Array(100);
    const y32 = new Float32Array(100);
    const w = new Float32Array(100).fill(1);
    expect(bceLogitsBlocks(elements(x32, y32, w, 1, null, 1, 0, 'mean', 100), null, null, 0)).toBeNull();
    expect(bceLogitsBlocks(elements(x32, y32, null, 1, w, 1, 0, 'mean', 100), null, null, 0)).toBeNull();
    expect(bceLogitsBlocks(elements(x32, y32, null, 1, null, 1, 0.1, 'mean', 100), null, null, 0)).toBeNull();
    expect(bceLogitsBlocks(elements(x32, y32, null, 1, null, 1, 0, 'none', 100), null, new Float64Array(100), 0)).toBeNull();
    expect(bceLogitsBlocks(elements(new Float64Array(100), y32, null, 1, null, 1, 0, 'mean', 100), null, null, 0)).not.toBeNull();
  });
});
