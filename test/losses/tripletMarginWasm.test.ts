import { afterEach, describe, expect, it } from 'vitest';
import { tripletMarginLoss } from '../../src';
import { tripletWasmRows } from '../../src/core/losses/tripletMarginWasm';
import { kernelArrays } from '../../src/core/math/kernelArrays';
import { useWasmElementwise } from '../../src/core/math/wasmElementwise';
import { TRIPLET_BLOCK, TRIPLET_RES_AT, TRIPLET_RES_ROWS, tripletKernelsFor } from '../../src/core/math/wasmTriplet';
import * as source from '../../tools/generate/wasm/tripletKernelsSource';
import { uniform } from '../math/ulp';

afterEach(() => useWasmElementwise(true));

type Rows = { a: Float32Array; p: Float32Array; n: Float32Array; shape: number[] };

/**
 * float32 rows of spread s; where `special(r)` gives a value v, row r of the anchor is v, of the
 * positive -v and of the negative v / 2, or with 'same' the positive and negative are copies of the anchor.
 */
function rows(count: number, cols: number, seed: number, s = 1, special?: (r: number) => number | 'same' | undefined): Rows {
  const u = uniform(seed);
  const [a, p, n] = [0, 1, 2].map(() => Float32Array.from({ length: count * cols }, () => s * (u() - 0.5))) as [Float32Array, Float32Array, Float32Array];
  for (let r = 0; r < count; r++) {
    const v = special?.(r);
    for (let j = r * cols; j < (r + 1) * cols && v !== undefined; j++) [p[j], n[j]] = v === 'same' ? [a[j]!, a[j]!] : ((a[j] = v), [-v, v / 2]);
  }
  return { a, p, n, shape: [count, cols] };
}

/** tripletMarginLoss.valueAndGrad on the rows with the kernel off and on: values and gradients (into `make`'s arrays). */
function both(d: Rows, options: Record<string, unknown>, make: (length: number) => Float32Array | Float64Array) {
  const run = (on: boolean) => {
    useWasmElementwise(on);
    const out = [make(d.a.length), make(d.a.length), make(d.a.length)];
    const { value } = tripletMarginLoss.valueAndGrad({ data: d.a, shape: d.shape }, { data: d.p, shape: d.shape }, { data: d.n, shape: d.shape }, { ...options, out });
    const only = tripletMarginLoss({ data: d.a, shape: d.shape }, { data: d.p, shape: d.shape }, { data: d.n, shape: d.shape }, options);
    return { value, only, out };
  };
  return { ts: run(false), wasm: run(true) };
}

const sameBits = (x: Float32Array | Float64Array, y: Float32Array | Float64Array) =>
  Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));

function expectSame(r: ReturnType<typeof both>): void {
  for (const key of ['value', 'only'] as const) {
    const [t, w] = [r.ts[key], r.wasm[key]];
    if (typeof t === 'number') expect(Object.is(w, t), `${key}: ${String(w)} vs ${t}`).toBe(true);
    else expect(sameBits(w as Float64Array, t)).toBe(true);
  }
  r.ts.out.forEach((o, i) => expect(sameBits(r.wasm.out[i]!, o), `gradient ${i}`).toBe(true));
}

describe('tripletMarginLoss on the WebAssembly kernel (tripletMarginWasm.ts)', () => {
  it('fits a module under 4 KB whose staging area the loader shares, inside the elementwise staging blocks below the softplus tables', () => {
    expect(source.tripletModule().length).toBeLessThan(4096);
    expect([TRIPLET_BLOCK, TRIPLET_RES_AT, TRIPLET_RES_ROWS]).toEqual([source.TRIPLET_BLOCK, source.TRIPLET_RES_AT, source.TRIPLET_RES_ROWS]);
    expect(TRIPLET_RES_AT + 16 * TRIPLET_RES_ROWS).toBeLessThanOrEqual(98304);
    expect(tripletKernelsFor(new ArrayBuffer(8))).not.toBeNull();
    useWasmElementwise(false);
    expect(tripletKernelsFor(new ArrayBuffer(8))).toBeNull();
  });

  it.each([
    ['[300 x 128], mean, float32 gradients', 300, 128, {}, Float32Array],
    ['[1000 x 2] (many blocks of 768 rows), sum, float64 gradients', 1000, 2, { reduction: 'sum' }, Float64Array],
    ['[40 x 3584] (one row a block), none, margin 30 (every row active)', 40, 3584, { reduction: 'none', margin: 30 }, Float32Array],
    ['[5 x 1792] float64 gradients (the widest row they take), eps 0, margin 0.5', 5, 1792, { eps: 0, margin: 0.5 }, Float64Array],
    ['[64 x 10], margin 0.1 (some rows inactive: zero gradients)', 64, 10, { margin: 0.1 }, Float32Array],
  ] as const)('gives the TypeScript rows bits: %s', (_, count, cols, options, Out) => {
    const d = rows(count, cols, count + cols);
    const r = both(d, options, (m) => new Out(m));
    expectSame(r);
    // active rows (a nonzero gradient) in every case, and inactive ones (zeros) at margin 0.1
    const active = Array.from({ length: count }, (_, i) => r.wasm.out[0]!.subarray(i * cols, (i + 1) * cols).some((v) => v !== 0));
    expect(active).toContain(true);
    if ('margin' in options && options.margin === 0.1) expect(active).toContain(false);
  });

  it('takes the calls it can and leaves the rest to TypeScript (odd rows, too few elements, rows wider than a block, mixed gradient kinds)', () => {
    const d = rows(40, 128, 1);
    const calls: number[] = [];
    const slow = (r: number) => (calls.push(r), 0);
    const c = (x: Rows) => ({ a: x.a, pos: x.p, neg: x.n, rows: x.shape[0]!, cols: x.shape[1]!, margin: 1, eps: 1e-6 });
    expect(tripletWasmRows(c(d), 1, null, null, slow)).not.toBeNull();
    expect(calls).toEqual([]);
    const g32 = () => new Float32Array(d.a.length);
    expect(tripletWasmRows(c(d), 1, null, [g32(), g32(), new Float64Array(d.a.length)], slow)).toBeNull();
    expect(tripletWasmRows(c(rows(40, 7, 1)), 1, null, null, slow)).toBeNull();
    expect(tripletWasmRows(c(rows(4, 10, 1)), 1, null, null, slow)).toBeNull();
    expect(tripletWasmRows(c(rows(2, TRIPLET_BLOCK + 2, 1)), 1, null, null, slow)).toBeNull();
    expect(tripletWasmRows(c(rows(2, 1794, 1)), 1, null, [0, 1, 2].map(() => new Float64Array(2 * 1794)) as [Float64Array, Float64Array, Float64Array], slow)).toBeNull();
    expect(tripletWasmRows({ ...c(d), a: Float64Array.from(d.a) }, 1, null, null, slow)).toBeNull();
    useWasmElementwise(false);
    expect(tripletWasmRows(c(d), 1, null, null, slow)).toBeNull();
  });

  it('leaves to TypeScript the rows whose sums of squares leave the normal range (a zero distance with eps 0), with the same bits', () => {
    // float32 differences never overflow or underflow a float64 sum of squares: only 0 (and NaN) leave its range
    const d = rows(50, 64, 3, 1, (r) => (r === 7 || r === 33 ? 'same' : r === 20 ? 3e38 : r === 21 ? 1e-40 : undefined));
    const calls: number[] = [];
    const c = { a: d.a, pos: d.p, neg: d.n, rows: 50, cols: 64, margin: 1, eps: 0 };
    tripletWasmRows(c, 1, null, null, (r) => (calls.push(r), 0));
    expect(calls).toEqual([7, 33]);
    for (const Out of [Float32Array, Float64Array]) expectSame(both(d, { eps: 0, reduction: 'none' }, (m) => new Out(m)));
  });

  it('throws as TypeScript does on a NaN or an Infinity, naming the first one', () => {
    for (const bad of [NaN, Infinity]) {
      const d = rows(30, 64, 4, 1, (r) => (r === 12 ? bad : undefined));
      const messages = [false, true].map((on) => {
        useWasmElementwise(on);
        try {
          tripletMarginLoss.valueAndGrad(
            { data: d.a, shape: d.shape },
            { data: d.p, shape: d.shape },
            { data: d.n, shape: d.shape },
            { out: [0, 1, 2].map(() => new Float32Array(d.a.length)) },
          );
        } catch (e) {
          return (e as Error).message;
        }
        return 'no error';
      });
      expect(messages[1]).toBe(messages[0]);
      expect(messages[0]).toMatch(/anchor\[768\]/);
    }
  });

  it('reads and writes kernelArrays in place, each argument in place or staged, with the same bits', () => {
    const d = rows(200, 128, 5);
    const expected = both(d, {}, (m) => new Float32Array(m)).ts;
    const [a, p, n, ga, gp, gn] = kernelArrays(d.a.length, 6) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    a.set(d.a);
    p.set(d.p);
    n.set(d.n);
    for (const [anchor, grads] of [
      [a, [ga, gp, gn]],
      [a, [new Float32Array(d.a.length), gp, new Float32Array(d.a.length)]],
      [d.a, [ga, gp, gn]],
    ] as const) {
      const { value } = tripletMarginLoss.valueAndGrad({ data: anchor, shape: d.shape }, { data: p, shape: d.shape }, { data: d.n, shape: d.shape }, { out: [...grads] });
      expect(Object.is(value, expected.value)).toBe(true);
      grads.forEach((o, i) => expect(sameBits(o, expected.out[i]!)).toBe(true));
    }
  });
});
