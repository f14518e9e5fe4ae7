import * as logModule from '../math/fastLog';
import { WASM_WORK_AT, wasmKernels, type WasmKernels } from '../math/wasmKernels';
import { reserveWasmMemory } from '../math/wasmModule';
import { numberOption, optionalValues, reduction, type OptionsOf, type Parsed } from '../options';
import { gradScale, reduce } from '../reduce';
import type { FloatArray, Values } from '../tensor/types';
import { assertBinaryPair, readBinaryPair } from './binaryPair';
import { defineLoss, type ReductionOptions } from './defineLoss';

const spec = {
  /** How the per-item losses are combined: `'mean'` (default), `'sum'` or `'none'`. */
  reduction: reduction(),
  /** Elementwise rescaling weights `w_i`, of the input's shape (default all 1). */
  weight: optionalValues({ min: 0 }),
  /** s in [0, 1]: targets become t (1 - s) + s / 2, as Keras (default 0). */
  labelSmoothing: numberOption(0, { min: 0, max: 1 }),
};

/** The options of the loss below: each option's doc and default live once, in its spec. @interface */
export type BinaryCrossEntropyOptions = OptionsOf<typeof spec>;

/** PyTorch clamps each log at -100, so probabilities of exactly 0 or 1 give finite losses. */
const LOG_FLOOR = -100;
/** PyTorch's floor on p (1 - p) in the backward pass: its constant is the float32 1e-12. */
const GRAD_EPSILON = Math.fround(1e-12);

// Module-local bindings of the imports used per element: CommonJS builds (tsx) read an import
// through a getter at each use, which V8 does not inline into a hot loop; these are read once.
const fastLogNormal = logModule.fastLogNormal;
const MIN_NORMAL = logModule.MIN_NORMAL;

/**
 * Binary cross-entropy on probabilities (이진 교차 엔트로피), elementwise over any shape:
 *
 * $$\ell_i = -w_i\left[t_i \max(\log p_i, -100) + (1 - t_i)\max(\log(1 - p_i), -100)\right]$$
 *
 * with $t_i = y_i(1 - s) + s/2$ under label smoothing $s$. The clamp at $-100$ (PyTorch's)
 * makes $p = 0$ or $1$ finite: a wrong certain prediction costs $100 w_i$, a right one 0.
 * On logits prefer binaryCrossEntropyWithLogits, which is stable without a clamp.
 *
 * - `reduction`: `'mean'` (default) $\frac1n\sum\ell_i$ (over all elements, weights included
 *   but not divided by), `'sum'` $\sum\ell_i$, `'none'` the $\ell_i$.
 * - Options: `weight` $w$, same shape as `input` (default all 1; no broadcasting);
 *   `labelSmoothing` $s$ (default 0).
 * - Shapes: `input` (probabilities in [0, 1]), `target` (in [0, 1]) and `weight`: any equal shape.
 * - Gradient (PyTorch's backward): $\partial\ell_i/\partial p_i = w_i (p_i - t_i) / \max(p_i(1 - p_i), 10^{-12})$,
 *   over $n$ for `'mean'`.
 * - PyTorch: `F.binary_cross_entropy(input, target, weight)`; Keras: `BinaryCrossentropy(label_smoothing)`
 *   (which clips $p$ to $[10^{-7}, 1 - 10^{-7}]$ instead of clamping the log).
 *
 * @example
 * binaryCrossEntropy([0.9, 0.2], [1, 0]) // 0.16425203348601802
 * binaryCrossEntropy.grad([0.5], [1]) // [-2]
 */
export const binaryCrossEntropy = defineLoss<Values, typeof spec, ReturnType<typeof prepare>>({
  name: 'binaryCrossEntropy',
  options: spec,
  prepare,
  value(c) {
    const { x, t, w } = c;
    const items = c.reduction === 'none' ? new Float64Array(c.size) : null;
    const total = x instanceof Float32Array && t instanceof Float32Array && !w && !items ? bceF32(x, t, null, 0) : bceAny(x, t, w, null, items, 0);
    return reduce('binaryCrossEntropy', c.reduction, checked(c, total), c.size, items);
  },
  // d/dp -[t log p + (1-t) log(1-p)] = (p - t) / (p (1 - p)); the denominator floored as PyTorch does.
  grad(c, out) {
    const { x, t, w, size } = c;
    const s = gradScale('binaryCrossEntropy', c.reduction, size);
    let bad = 0;
    for (let i = 0; i < size; i++) {
      const p = x[i]!;
      const y = t[i]!;
      if (!(p >= 0 && p <= 1 && y >= 0 && y <= 1)) bad++;
      out[i] = (s * (w ? w[i]! : 1) * (p - y)) / Math.max(p * (1 - p), GRAD_EPSILON);
    }
    checked(c, bad > 0 ? NaN : 0);
  },
  // Value and gradient in one pass; the all-float32 unweighted case has its own loop.
  valueAndGrad(c, out) {
    const { x, t, w, reduction } = c;
    const s = gradScale('binaryCrossEntropy', reduction, c.size);
    const items = reduction === 'none' ? new Float64Array(c.size) : null;
    const total =
      x instanceof Float32Array && t instanceof Float32Array && out instanceof Float32Array && !w && !items
        ? bceF32(x, t, out, s)
        : bceAny(x, t, w, out, items, s);
    return reduce('binaryCrossEntropy', reduction, checked(c, total), c.size, items);
  },
});

type Prepared = ReturnType<typeof prepare>;

/** The kernels return NaN when an element is NaN or outside [0, 1]; this then throws the checks' message. */
function checked(c: Prepared, total: number): number {
  if (total !== total) assertBinaryPair('binaryCrossEntropy', c, true);
  return total;
}

// Per element: the loss -w h with h = logLikelihood(p, t), and the gradient s w (p - t) / max(p (1 - p), eps).
// Out-of-range or NaN elements are counted (bad) and turn the total into NaN.
function bceAny(x: FloatArray, t: FloatArray, w: FloatArray | null, out: FloatArray | null, items: Float64Array | null, s: number): number {
  let total = 0;
  let bad = 0;
  for (let i = 0; i < x.length; i++) {
    const p = x[i]!;
    const y = t[i]!;
    if (!(p >= 0 && p <= 1 && y >= 0 && y <= 1)) bad++;
    const wi = w ? w[i]! : 1;
    const loss = -wi * logLikelihood(p, y);
    total += loss;
    if (items) items[i] = loss;
    if (out) out[i] = (s * wi * (p - y)) / gradDenominator(p);
  }
  return bad > 0 ? NaN : total;
}

// bceAny for float32 arrays, w = 1 and no items (the gradient optional): a separate copy keeps
// V8's loads monomorphic, and the loss is summed in two accumulators, the even elements' and the
// odd ones', as the WebAssembly SIMD kernel bceF32 (two lanes) does. That kernel takes chunks of
// hard-target elements and gives the same bits; other chunks, and everything where WebAssembly
// SIMD is missing, run bceF32Range.
function bceF32(x: Float32Array, t: Float32Array, out: Float32Array | null, s: number): number {
  const acc = new Float64Array(3);
  const k = x.length >= 64 ? wasmKernels() : null;
  if (k) bceWasm(k, x, t, out, s, acc);
  else bceF32Range(x, t, out, s, 0, x.length, acc);
  return acc[2]! > 0 ? NaN : acc[0]! + acc[1]!;
}

/** Elements [from, to): acc[0] -= the even ones' h, acc[1] -= the odd ones', acc[2] += the bad count. */
function bceF32Range(x: Float32Array, t: Float32Array, out: Float32Array | null, s: number, from: number, to: number, acc: Float64Array): void {
  let even = acc[0]!;
  let odd = acc[1]!;
  let bad = 0;
  for (let i = from; i < to; i++) {
    const p = x[i]!;
    const y = t[i]!;
    if (!(p >= 0 && p <= 1 && y >= 0 && y <= 1)) bad++;
    const h = logLikelihood(p, y);
    if ((i & 1) === 0) even -= h;
    else odd -= h;
    if (out) out[i] = (s * (p - y)) / gradDenominator(p);
  }
  acc[0] = even;
  acc[1] = odd;
  acc[2] = acc[2]! + bad;
}

/** bceF32 through the kernel, in even-sized chunks copied into its memory. */
function bceWasm(k: WasmKernels, x: Float32Array, t: Float32Array, out: Float32Array | null, s: number, acc: Float64Array): void {
  const n = x.length;
  const chunk = 8192;
  const pAt = WASM_WORK_AT;
  const yAt = pAt + 4 * chunk;
  const oAt = yAt + 4 * chunk;
  const accAt = oAt + 4 * chunk;
  reserveWasmMemory(k, accAt + 16);
  const buffer = k.memory.buffer;
  const pw = new Float32Array(buffer, pAt, chunk);
  const yw = new Float32Array(buffer, yAt, chunk);
  const ow = new Float32Array(buffer, oAt, chunk);
  const aw = new Float64Array(buffer, accAt, 2);
  for (let i0 = 0; i0 < n; i0 += chunk) {
    const m = Math.min(chunk, n - i0);
    const pairs = m >> 1;
    pw.set(x.subarray(i0, i0 + 2 * pairs));
    yw.set(t.subarray(i0, i0 + 2 * pairs));
    aw[0] = acc[0]!;
    aw[1] = acc[1]!;
    if (k.bceF32(pAt, yAt, oAt, pairs, s, accAt) === 0) {
      acc[0] = aw[0]!;
      acc[1] = aw[1]!;
      if (out) out.set(2 * pairs === chunk ? ow : ow.subarray(0, 2 * pairs), i0);
      if (m & 1) bceF32Range(x, t, out, s, i0 + m - 1, i0 + m, acc);
    } else {
      bceF32Range(x, t, out, s, i0, i0 + m, acc);
    }
  }
}

/** PyTorch's max(p (1 - p), eps); p (1 - p) >= 0 on [0, 1]. */
const gradDenominator = (p: number) => {
  const v = p * (1 - p);
  return v < GRAD_EPSILON ? GRAD_EPSILON : v;
};

/**
 * h = t max(log p, -100) + (1 - t) max(log(1 - p), -100) for p, t in [0, 1] (any number, no
 * exception, outside). log(1 - p) is the log of the exact double-double q + ql = 1 - p
 * (q = RN(1 - p), Fast2Sum since |1| >= |p|), so it keeps the bits of small p as log1p(-p) does.
 * A hard target (t (1 - t) = 0, one test, no branch on t itself) needs one log, of
 * t p + (1 - t) q (that is p or q exactly) with low part (1 - t) ql. Arguments below 2^-1022
 * (p = 0 or 1, subnormals) are raised to 2^-1022: their log, -708.4 or -Infinity, floors to -100 either way.
 */
function logLikelihood(p: number, y: number): number {
  const q = 1 - p;
  const ql = 1 - q - p;
  if (y * (1 - y) === 0) return floorLog(fastLogNormal(atLeastNormal(y * p + (1 - y) * q), (1 - y) * ql));
  return softLogLikelihood(p, y, q, ql);
}

/** logLikelihood for a soft target: two logs (a separate function keeps the hard path small enough for V8 to inline). */
function softLogLikelihood(p: number, y: number, q: number, ql: number): number {
  return y * floorLog(fastLogNormal(atLeastNormal(p), 0)) + (1 - y) * floorLog(fastLogNormal(atLeastNormal(q), ql));
}

// Comparisons rather than Math.max, which V8 compiles with NaN and -0 cases these do not need
// (a NaN here is an out-of-range element, which makes the kernel throw).
const atLeastNormal = (a: number) => (a < MIN_NORMAL ? MIN_NORMAL : a);
const floorLog = (h: number) => (h < LOG_FLOOR ? LOG_FLOOR : h);

function prepare(input: Values, target: Values, o: Parsed<typeof spec>) {
  const fn = 'binaryCrossEntropy';
  return { reduction: o.reduction, ...readBinaryPair(fn, input, target, { probabilities: true, labelSmoothing: o.labelSmoothing, weight: o.weight, deferChecks: true }) };
}
