import { describe, expect, it } from 'vitest';
import { binaryCrossEntropyWithLogits, multiLabelSoftMarginLoss } from '../../src';
import { bceLogits } from '../../src/core/losses/bceFromLogits';
import { bceLogitsBlocks } from '../../src/core/losses/bceLogitsBlock';
import { elements, sumElements } from '../../src/core/losses/elementwise';
import { kernelArrays } from '../../src/core/math/kernelArrays';
import { useWasmElementwise } from '../../src/core/math/wasmElementwise';
import { gradScale } from '../../src/core/reduce';
import { expectClose } from '../helpers/close';
import { bothPaths } from '../helpers/paths';
import { uniform } from '../math/ulp';

describe('multiLabelSoftMarginLoss', () => {
  const x = [
    [0.5, -1.5, 2],
    [1, 0.25, -30],
  ];
  const y = [
    [1, 0, 1],
    [0, 0, 1],
  ];
  const perRow = x.map((row, n) => binaryCrossEntropyWithLogits(row, y[n]!));

  it('is the per-row mean of binaryCrossEntropyWithLogits', () => {
    expectClose(multiLabelSoftMarginLoss(x, y, { reduction: 'none' }), perRow);
    expectClose(multiLabelSoftMarginLoss(x, y), (perRow[0]! + perRow[1]!) / 2);
    expectClose(multiLabelSoftMarginLoss(x, y, { reduction: 'sum' }), perRow[0]! + perRow[1]!);
  });

  it('weights each class, then averages over the C classes', () => {
    const weight = [0.5, 2, 1];
    const rows = x.map((row, n) => binaryCrossEntropyWithLogits(row, y[n]!, { weight, reduction: 'sum' }) / 3);
    expectClose(multiLabelSoftMarginLoss(x, y, { weight, reduction: 'none' }), rows);
  });

  it('has gradient w (sigmoid(x) - y) / C, over N for mean', () => {
    const g = binaryCrossEntropyWithLogits.grad(x, y, { reduction: 'sum' });
    expectClose(
      multiLabelSoftMarginLoss.grad(x, y),
      g.map((r) => r.map((v) => v / 3 / 2)),
    );
    expectClose(
      multiLabelSoftMarginLoss.grad(x, y, { reduction: 'none' }),
      g.map((r) => r.map((v) => v / 3)),
    );
  });

  it('reads a 1-D input as one sample', () => {
    expectClose(multiLabelSoftMarginLoss([0, 2], [1, 0]), binaryCrossEntropyWithLogits([0, 2], [1, 0]));
  });

  it('gives value and gradient in one pass', () => {
    const vg = multiLabelSoftMarginLoss.valueAndGrad(x, y, { weight: 2 });
    expectClose(vg.value, multiLabelSoftMarginLoss(x, y, { weight: 2 }));
    expectClose(vg.grad, multiLabelSoftMarginLoss.grad(x, y, { weight: 2 }));
  });

  it('rejects targets outside [0, 1] and a weight of another shape', () => {
    expect(() =>
      multiLabelSoftMarginLoss(x, [
        [1, 0, 2],
        [0, 0, 1],
      ]),
    ).toThrow(/^multiLabelSoftMarginLoss: target\[2\] must be a probability in \[0, 1\], got 2$/);
    expect(() => multiLabelSoftMarginLoss(x, y, { weight: [1, 2] })).toThrow(
      /^multiLabelSoftMarginLoss: options.weight must be a number or of a shape broadcastable to input shape \[2,3\]/,
    );
  });
});

describe("multiLabelSoftMarginLoss's blocks (binaryCrossEntropyWithLogits's, at the weight 1/C)", () => {
  const [N, C] = [61, 409];
  const n = N * C;
  /** float32 logits of every size (one beyond ±709, a block the loop takes) and 0/1 labels, in ordinary arrays or kernelArrays. */
  function data(inKernelMemory: boolean) {
    const [x, y] = inKernelMemory ? (kernelArrays(n, 2) as [Float32Array, Float32Array]) : [new Float32Array(n), new Float32Array(n)];
    const u = uniform(77);
    for (let i = 0; i < n; i++) [x[i], y[i]] = [u() < 0.1 ? 60 * (u() - 0.5) : 8 * (u() - 0.5), u() < 0.3 ? 1 : 0];
    x[20000] = 800;
    return { x, y };
  }
  /** The plain loop over the same elements as the loss's prepare makes (bceLogits at q = 1, weight 1/C), without the blocks. */
  function loop(x: Float32Array, y: Float32Array, reduction: 'mean' | 'sum') {
    const e = elements(x, y, null, 1 / C, null, 1, 0, reduction, N);
    const out = new Float32Array(n);
    const sum = sumElements(bceLogits, e, out, null, gradScale('multiLabelSoftMarginLoss', reduction, N));
    return { value: reduction === 'mean' ? sum / N : sum, out };
  }

  for (const inKernelMemory of [false, true])
    for (const reduction of ['mean', 'sum'] as const)
      it(`give the loop's value and gradient bits on WebAssembly and TypeScript (${inKernelMemory ? 'kernelArrays' : 'ordinary arrays'}, ${reduction})`, () => {
        const { x, y } = data(inKernelMemory);
        const want = loop(x, y, reduction);
        expect(Number.isFinite(want.value)).toBe(true);
        const shape = [N, C];
        const { wasm, ts } = bothPaths(useWasmElementwise, () => {
          const out = new Float32Array(n);
          const value = multiLabelSoftMarginLoss.valueAndGrad({ data: x, shape }, { data: y, shape }, { reduction, out }).value;
          return { value, alone: multiLabelSoftMarginLoss({ data: x, shape }, { data: y, shape }, { reduction }), out };
        });
        for (const p of [wasm, ts]) {
          expect(Object.is(p.value, want.value), `${String(p.value)} vs ${want.value}`).toBe(true);
          expect(Object.is(p.alone, want.value)).toBe(true);
          expect(Buffer.from(p.out.buffer).equals(Buffer.from(want.out.buffer))).toBe(true);
        }
      });

  it("give the loop's value and gradient bits on float64 logits and labels too (compensated lanes)", () => {
    const { x: x32, y: y32 } = data(false);
    const x = Float64Array.from(x32, (v, i) => (i & 1 ? v * (1 + 2 ** -40) : v));
    const y = Float64Array.from(y32);
    const e = elements(x, y, null, 1 / C, null, 1, 0, 'sum', N);
    const want = new Float64Array(n);
    const sum = sumElements(bceLogits, e, want, null, 1);
    const out = new Float64Array(n);
    const value = multiLabelSoftMarginLoss.valueAndGrad({ data: x, shape: [N, C] }, { data: y, shape: [N, C] }, { reduction: 'sum', out }).value;
    expect(Object.is(value, sum)).toBe(true);
    expect(Buffer.from(out.buffer).equals(Buffer.from(want.buffer))).toBe(true);
  });

  it('take every block but the one with a logit beyond ±709, on both paths', () => {
    const { x, y } = data(true);
    const e = elements(x, y, null, 1 / C, null, 1, 0, 'mean', N);
    const taken = bothPaths(useWasmElementwise, () => {
      const fast = bceLogitsBlocks(e, new Float32Array(n), null, 1 / N)!;
      let count = 0;
      for (let from = 0; from < n; from += 8192) if (fast(from, Math.min(n, from + 8192)) !== undefined) count++;
      return count;
    });
    expect(taken).toEqual({ wasm: 3, ts: 3 });
  });

  it('still name a label outside [0, 1] and a NaN logit with the blocks on', () => {
    const { x, y } = data(false);
    y[12345] = 2;
    expect(() => multiLabelSoftMarginLoss({ data: x, shape: [N, C] }, { data: y, shape: [N, C] })).toThrow(/multiLabelSoftMarginLoss: target\[12345\]/);
    y[12345] = 1;
    x[777] = NaN;
    expect(() => multiLabelSoftMarginLoss.grad({ data: x, shape: [N, C] }, { data: y, shape: [N, C] }, { out: new Float32Array(n) })).toThrow(
      /multiLabelSoftMarginLoss: input\[777\]/,
    );
  });
});
