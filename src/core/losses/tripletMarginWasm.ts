import { stagedArray } from '../math/wasmStaging';
import { TRIPLET_BLOCK, TRIPLET_RES_AT, TRIPLET_RES_ROWS, tripletKernelsFor, type TripletRows } from '../math/wasmTriplet';
import type { FloatArray } from '../tensor/types';
import { RunningTotal } from '../math/twoSum';

/** What tripletMarginLoss's rows read: the inputs `[rows, cols]` and the options used at p = 2. */
export interface TripletRowsInput {
  readonly a: FloatArray;
  readonly pos: FloatArray;
  readonly neg: FloatArray;
  readonly rows: number;
  readonly cols: number;
  readonly margin: number;
  readonly eps: number;
}

/** Where the staged anchor, positive and negative rows, then the three gradients' rows sit: a block of 4 TRIPLET_BLOCK bytes each. */
const INPUTS_AT = 0;
const GRADS_AT = 12 * TRIPLET_BLOCK;

/**
 * tripletMarginLoss's rows at p = 2 without the swap on the WebAssembly kernel (math/wasmTriplet.ts):
 * the sum of the rows' losses (each into items when given) and with g the three gradients,
 * the bits of euclideanRow, which `slowRow(r)` runs for each row the kernel leaves (a sum of
 * squares outside [2^-960, ∞): a NaN or ±Infinity, an overflow or underflow). null, having done
 * nothing, where the kernel does not take the call: float32 inputs, gradients all float32 or all
 * float64, an even row length that fits a block (TRIPLET_BLOCK elements, half that with float64
 * gradients), and at least 64 elements.
 * Blocks of rows are copied into the kernel's memory and their gradients back, except arrays
 * that already live there (the views of kernelArrays).
 */
export function tripletWasmRows(
  c: TripletRowsInput,
  scale: number,
  items: Float64Array | null,
  g: readonly [FloatArray, FloatArray, FloatArray] | null,
  slowRow: (r: number) => number,
): number | null {
  const { a, pos, neg, rows, cols } = c;
  if (!(a instanceof Float32Array && pos instanceof Float32Array && neg instanceof Float32Array) || cols & 1 || rows * cols < 64) return null;
  const f64 = g !== null && g.every((o) => o instanceof Float64Array);
  if (g !== null && !f64 && !g.every((o) => o instanceof Float32Array)) return null;
  // float64 gradients fill a block with half as many elements
  const width = f64 ? 8 : 4;
  const capacity = (4 * TRIPLET_BLOCK) / width;
  if (cols > capacity) return null;
  const k = tripletKernelsFor(a.buffer);
  if (!k) return null;
  const kernel: TripletRows = f64 ? k.tripletRowsF64 : k.tripletRowsF32;
  const buffer = k.memory.buffer;
  const block = Math.min(TRIPLET_RES_ROWS, Math.floor(capacity / cols));
  const res = new Float64Array(buffer, TRIPLET_RES_AT, 2 * block);
  const inputs = [a, pos, neg].map((v, i) => stagedArray(v, buffer, INPUTS_AT + i * 4 * TRIPLET_BLOCK, 4, capacity));
  const grads = g === null ? [] : g.map((v, i) => stagedArray(v, buffer, GRADS_AT + i * 4 * TRIPLET_BLOCK, width, capacity));
  const total = new RunningTotal();
  for (let r0 = 0; r0 < rows; r0 += block) {
    const m = Math.min(block, rows - r0);
    const from = r0 * cols;
    const to = from + m * cols;
    const [aAt, pAt, nAt] = inputs.map((s) => s.copyIn(from, to));
    const [gaAt, gpAt, gnAt] = g === null ? [GRADS_AT, GRADS_AT, GRADS_AT] : grads.map((s) => s.at(from));
    kernel(aAt!, pAt!, nAt!, gaAt!, gpAt!, gnAt!, TRIPLET_RES_AT, m, cols, c.margin, c.eps, scale, g === null ? 0 : 1);
    for (const s of grads) s.copyOut(from, to);
    for (let i = 0; i < m; i++) {
      const l = res[2 * i + 1] === 0 ? res[2 * i]! : slowRow(r0 + i);
      total.add(l);
      if (items) items[r0 + i] = l;
    }
  }
  return total.value();
}
