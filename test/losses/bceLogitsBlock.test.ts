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

/** Runs the elementwise loop over the case with and without the blocks: sums and gradients (and how many blocks the block function took). */
function both(c: Case, withOut: boolean) {
  const r = uniform(c.n);
  const x = new Float32Array(c.n);
  const y = new Float32Array(c.n);
  for (let i = 0; i < c.n; i++) {
    x[i] = c.logit(r, i);
    y[i] = c.target(r, x[i]!, i);
  }
  const e = elements(x, y, null, c.ws ?? 1, null, c.q ?? 1, 0, 'mean', c.n);
  const s = withOut ? 1 / c.n : 0;
  const outLoop = withOut ? new Float32Array(c.n) : null;
  const outFast = withOut ? new Float32Array(c.n) : null;
  const loop = sumElements(bceLogits, e, outLoop, null, s);
  const fast = bceLogitsBlocks(e, outFast, null, s)!;
  let taken = 0;
  const counted = (from: number, to: number) => {
    const part = fast(from, to);
    if (part !== undefined) taken++;
    return part;
  };
  const sum = sumElements(bceLogits, e, outFast, null, s, counted);
  return { loop, sum, outLoop, outFast, taken, blocks: Math.ceil(c.n / 8192) };
}

describe('binaryCrossEntropyWithLogits blocks (bceLogitsBlock.ts)', () => {
  for (const c of CASES) {
    it(`give the loop's bits: ${c.name}`, () => {
      for (const withOut of [true, false]) {
        const r = both(c, withOut);
        expect(Object.is(r.sum, r.loop)).toBe(true);
        expect(r.sum).toBe(r.loop);
        if (r.outLoop && r.outFast) expect(Buffer.from(r.outFast.buffer).equals(Buffer.from(r.outLoop.buffer))).toBe(true);
        expect(r.taken).toBeGreaterThan(0);
      }
    });
  }

  it('take every block of plain data, and leave the loop the blocks they cannot match', () => {
    expect(both(CASES[0]!, true).taken).toBe(4);
    expect(both(CASES[2]!, true).taken).toBe(2);
    expect(both(CASES[2]!, false).taken).toBe(3);
    expect(both(CASES[3]!, true).taken).toBe(2);
  });

  it('are not used where they do not apply (float64, per-element weights, smoothing, per-item values)', () => {
    const x32 = new Float32Array(100);
    const y32 = new Float32Array(100);
    const w = new Float32Array(100).fill(1);
    expect(bceLogitsBlocks(elements(new Float64Array(100), y32, null, 1, null, 1, 0, 'mean', 100), null, null, 0)).toBeNull();
    expect(bceLogitsBlocks(elements(x32, y32, w, 1, null, 1, 0, 'mean', 100), null, null, 0)).toBeNull();
    expect(bceLogitsBlocks(elements(x32, y32, null, 1, w, 1, 0, 'mean', 100), null, null, 0)).toBeNull();
    expect(bceLogitsBlocks(elements(x32, y32, null, 1, null, 1, 0.1, 'mean', 100), null, null, 0)).toBeNull();
    expect(bceLogitsBlocks(elements(x32, y32, null, 1, null, 1, 0, 'none', 100), null, new Float64Array(100), 0)).toBeNull();
    expect(bceLogitsBlocks(elements(x32, y32, null, 1, null, 1, 0, 'mean', 100), new Float64Array(100), null, 0)).toBeNull();
  });
});
