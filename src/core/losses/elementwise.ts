import type { OptionSpec, Parsed } from '../options';
import { gradScale, reduce } from '../reduce';
import { checkFinite } from '../tensor/flatten';
import type { FloatArray, Reduction, Values } from '../tensor/types';
import type { ElementwiseKernelName } from '../math/wasmElementwise';
import { checkedGradient, defineLoss } from './defineLoss';
import { elementwiseWasmBlocks } from './elementwiseWasm';
import { readPair } from './pair';

/**
 * The one loop of every elementwise loss (mse, mae, huber, sse, rmse, binaryCrossEntropy,
 * binaryCrossEntropyWithLogits, sigmoidFocalLoss, klDivergence): a loss gives the math of one
 * element, a `Pointwise` pair, and this file does the rest: weights, reductions, the per-item
 * values, the gradient into `out`, the summation and the non-finite checks.
 */

/** One element's loss and its derivative: the whole math of an elementwise loss. */
export interface Pointwise {
  /** ℓ(x, y): the loss of input x against target y, with the loss's parameters a and b. */
  term: (x: number, y: number, a: number, b: number) => number;
  /** c · ∂ℓ/∂x, where c is the reduction's scale times the element's weight. */
  slope: (x: number, y: number, a: number, b: number, c: number) => number;
}

/** A Pointwise pair with the loops made for it (see loopFor). */
export interface Kernel extends Pointwise {
  readonly loops: (SumLoop | undefined)[];
  /** Its WebAssembly SIMD block (math/wasmElementwise.ts), the same bits as the loop, or null. */
  readonly wasm: ElementwiseKernelName | null;
}

/**
 * Makes the kernel of a Pointwise pair; one per loss, at module level. `wasm` names its
 * WebAssembly block, which must follow term and slope operation for operation (the tests
 * compare both paths bit for bit); it runs on the float32 calls it takes (elementwiseWasm.ts).
 */
export function kernel(p: Pointwise & { wasm?: ElementwiseKernelName }): Kernel {
  return { term: p.term, slope: p.slope, loops: [], wasm: p.wasm ?? null };
}

/** The arguments of an elementwise loss, read and checked once. */
export interface Elements {
  readonly x: FloatArray;
  readonly y: FloatArray;
  readonly size: number;
  /** Weights repeating every `w.length` elements (a trailing-axes broadcast), or null: `ws` for all. */
  readonly w: FloatArray | null;
  readonly ws: number;
  /** The parameter a per element, repeating every `q.length` elements, or null: `a` for all. */
  readonly q: FloatArray | null;
  readonly a: number;
  readonly b: number;
  readonly reduction: Reduction;
  /** The divisor of `'mean'` (the element count, or the sample count for a per-sample mean). */
  readonly count: number;
}

/**
 * An Elements, always built here (one object literal, so all have one V8 map: an object made by a
 * spread `{ ...pair, ... }` changes map after a few calls, and each change deoptimizes the loop).
 */
export function elements(
  x: FloatArray,
  y: FloatArray,
  w: FloatArray | null,
  ws: number,
  q: FloatArray | null,
  a: number,
  b: number,
  reduction: Reduction,
  count: number,
): Elements {
  return { x, y, size: x.length, w, ws, q, a, b, reduction, count };
}

/** Elements without weights or per-element parameters: input and target read flat, the NaN scan deferred. */
export function readElements(fn: string, input: Values, target: Values, reduction: Reduction, a = 0, b = 0): Elements {
  const pair = readPair(fn, input, target, { deferScan: true });
  return elements(pair.x, pair.y, null, 1, null, a, b, reduction, pair.size);
}

/**
 * A loss's own code for one block (e.g. a WebAssembly kernel): its sum, or undefined to run the
 * loop. A block summed in compensated lanes leaves its sum's error in `error[0]` (as the loop's
 * own `partErr`), which the loop adds to its running error.
 */
export interface FastBlock {
  (from: number, to: number): number | undefined;
  readonly error?: Float64Array;
}

type SumLoop = (k: Pointwise, e: Elements, out: FloatArray | null, items: Float64Array | null, s: number, fast: FastBlock | null) => number;

/** Elements per block (sumLoop writes it as a literal, since it reads nothing outside itself). */
export const BLOCK = 8192;

/**
 * Σ w_i ℓ_i over all elements (w_i = w[i mod w.length], or ws), writing items[i] = w_i ℓ_i and
 * out[i] = slope(..., s w_i) on the way, with a_i = q[i mod q.length] (or a) as the parameter a.
 *
 * - Summation, in blocks of 8192 elements, the block sums then added with their errors (TwoSum).
 *   On float64 arguments each block runs in two lanes (the even and the odd elements, swapped
 *   each step, which also halves the add chain V8's loop waits on) and every addition in a lane
 *   is compensated too, so the total is within about an ulp of the exact sum of the terms
 *   (PyTorch's pairwise sums are as good). On float32 input and target (`compensate` false) a
 *   block runs in eight plain float64 lanes (element i in lane i mod 8 of its block, in `eight`),
 *   each 64 elements' lanes added as ((l0 + l2) + (l4 + l6)) + ((l1 + l3) + (l5 + l7)) (the order
 *   of the WebAssembly kernels' four f64x2 accumulators: the same bits) into the block's sum with
 *   its error (TwoSum), the lanes then cleared; the block's part is that sum plus its error. Eight
 *   lanes keep the add chains a quarter as long, and the 64-element folds keep them short: the
 *   mean of the bench's 1e6 and 1e7 float32 squares came 1.4-1.6e-15 from the exact one with the
 *   lanes over whole blocks of 8192 (PyTorch float64: exact), 0 with the folds (as float64 input).
 * - Non-finite values: each written gradient v (as stored: rounded to float32 for a Float32Array
 *   out) adds v - v, 0 or NaN, to its term, so the total is not finite when an element, a term or
 *   a gradient is not (a finite g that rounds to Infinity in float32 included); the caller then
 *   finds which (see elementwiseLoss). Free, where a separate probe sum cost 0.2 ns per element.
 * - `fast(from, to)` may take a block itself (the WebAssembly kernels, logCosh's blocks), with its
 *   sum's error in `fast.error` where it sums in compensated lanes.
 * - The flags (hasItems ... compensate) are constants in each copy (see loopFor), so V8 drops the
 *   code they turn off: a guarded store left in the loop costs up to 1.7 ns per element even when
 *   never taken, the weight counters 0.5 ns (micro-bench: 1e6 float32 mse elements take 1.7 ms).
 * - It reads nothing but its parameters and Math, so a copy compiled from its source computes the same.
 */
function sumLoop(k: Pointwise, e: Elements, out: FloatArray | null, items: Float64Array | null, s: number, fast: FastBlock | null): number {
  const x = e.x;
  const y = e.y;
  const w = e.w;
  const q = e.q;
  const ws = e.ws;
  const a = e.a;
  const b = e.b;
  const n = e.size;
  const hasItems = items !== null;
  const hasOut = out !== null;
  const hasW = w !== null;
  const hasQ = q !== null;
  const f32Out = out instanceof Float32Array;
  const compensate = !(x instanceof Float32Array && y instanceof Float32Array);
  const wl = w === null ? 1 : w.length;
  const ql = q === null ? 1 : q.length;
  const eight = compensate ? null : new Float64Array(8);
  const fastError = fast === null || fast.error === undefined ? null : fast.error;
  let sum = 0;
  let err = 0;
  for (let from = 0; from < n; from += 8192) {
    const to = from + 8192 < n ? from + 8192 : n;
    let part = fast === null ? undefined : fast(from, to);
    let partErr = 0;
    if (part === undefined) {
      let jw = from % wl;
      let jq = from % ql;
      let lane = 0;
      let other = 0;
      let laneErr = 0;
      let otherErr = 0;
      // float32 arguments: the eight lanes' sums of each 64 elements, added with their errors
      let sub = 0;
      let subErr = 0;
      if (!compensate) eight!.fill(0);
      for (let i = from; i < to; i++) {
        const xi = x[i]!;
        const yi = y[i]!;
        const wi = hasW ? w[jw]! : ws;
        const ai = hasQ ? q[jq]! : a;
        if (hasW && ++jw === wl) jw = 0;
        if (hasQ && ++jq === ql) jq = 0;
        let l = wi * k.term(xi, yi, ai, b);
        if (hasItems) items[i] = l;
        if (hasOut) {
          const g = k.slope(xi, yi, ai, b, s * wi);
          const v = f32Out ? Math.fround(g) : g;
          out[i] = v;
          l += v - v;
        }
        if (compensate) {
          const t = lane + l;
          const bb = t - lane;
          const next = otherErr;
          otherErr = laneErr + (lane - (t - bb) + (l - bb));
          laneErr = next;
          lane = other;
          other = t;
        } else {
          const e = eight!;
          const j = (i - from) & 7;
          e[j] = e[j]! + l;
          if (((i - from) & 63) === 63 || i === to - 1) {
            const p = e[0]! + e[2]! + (e[4]! + e[6]!) + (e[1]! + e[3]! + (e[5]! + e[7]!));
            const t = sub + p;
            const bb = t - sub;
            subErr += sub - (t - bb) + (p - bb);
            sub = t;
            for (let z = 0; z < 8; z++) e[z] = 0;
          }
        }
      }
      if (compensate) {
        part = lane + other;
        const bb = part - lane;
        partErr = lane - (part - bb) + (other - bb) + laneErr + otherErr;
      } else {
        part = sub - sub === 0 ? sub + subErr : sub;
      }
    } else if (fastError !== null) {
      partErr = fastError[0]!;
    }
    const t = sum + part;
    const bb = t - sum;
    err += sum - (t - bb) + (part - bb) + partErr;
    sum = t;
  }
  return sum - sum === 0 ? sum + err : sum;
}

const SOURCE = `return ${sumLoop.toString()}`;
/** The flags' definitions in SOURCE (as written, or as a minifier prints them). */
const FLAG = /\b(hasItems|hasOut|hasW|hasQ|f32Out|compensate)\s*=\s*[^;,]+/g;
let copies = 0;

/**
 * The loop for one kernel and one combination of array kinds (float32, float64 or none for
 * x, y, w, q, out, items), made on first use. V8 keeps type feedback per function literal, so
 * one shared loop called with every loss's term sees many callees and array kinds and stops
 * inlining them (bench: 13x slower once two kernels share it). Each combination therefore gets
 * its own copy of sumLoop, compiled from its source by `new Function` with its flags made
 * constants (and the source made unique, since V8 caches equal sources' compilations together
 * with their feedback). Where `new Function` is refused (a Content-Security-Policy without
 * 'unsafe-eval') or a copy does not run (instrumented source), sumLoop itself runs: the same
 * results, slower. npm run bench (medians of 3 runs on a loaded 2-core machine, before -> after
 * the hand-written float32 loops were replaced by these copies): MSE 1e6 5.9 -> 3.2 ms, 1e7
 * 56 -> 35 ms, BCE 1e6 16.5 -> 11.8 ms, 1e7 181 -> 93 ms; no hand-written copy is left.
 */
function loopFor(k: Kernel, e: Elements, out: FloatArray | null, items: Float64Array | null): SumLoop {
  if (!copiesOn) return sumLoop;
  const key = kind(e.x) + 3 * (kind(e.y) + 3 * (kind(e.w) + 3 * (kind(e.q) + 3 * (kind(out) + 3 * (items === null ? 0 : 1)))));
  let loop = k.loops[key];
  if (loop === undefined) {
    const flags: Record<string, string> = {
      hasItems: String(items !== null),
      hasOut: String(out !== null),
      hasW: String(e.w !== null),
      hasQ: String(e.q !== null),
      f32Out: String(out instanceof Float32Array),
      compensate: String(!(e.x instanceof Float32Array && e.y instanceof Float32Array)),
    };
    const source = SOURCE.replace(FLAG, (_, name: string) => `${name} = ${flags[name]!}`);
    try {
      // The one generated function of the package: a copy of the loop per loss and array kind (see above); a page
      // whose Content-Security-Policy forbids it gets the shared loop below, with the same bits.
      // eslint-disable-next-line @typescript-eslint/no-implied-eval, @typescript-eslint/no-unsafe-call
      loop = new Function(`${source}\n//# sourceURL=losslab-elementwise-${copies++}.js`)() as SumLoop;
      // a first run over two elements, so every statement has type feedback before V8 optimizes
      // (else each deoptimizes on its first visit, and V8 may leave the loop unoptimized for a while)
      const few = elements(e.x.subarray(0, 2), e.y.subarray(0, 2), e.w, e.ws, e.q, e.a, e.b, e.reduction, e.count);
      for (let r = 0; r < 10; r++) loop(k, few, out, items, 0, null);
    } catch {
      loop = sumLoop;
    }
    k.loops[key] = loop;
  }
  return loop;
}

let copiesOn = true;

/** Turns the compiled copies of the loop on (default) or off (then sumLoop itself runs), e.g. to compare both. */
export function useLoopCopies(on: boolean): void {
  copiesOn = on;
}

const kind = (v: FloatArray | null) => (v === null ? 0 : v instanceof Float32Array ? 1 : 2);

/** Σ w_i ℓ_i over all elements, writing items and the gradient on the way (see sumLoop). */
export function sumElements(k: Kernel, e: Elements, out: FloatArray | null, items: Float64Array | null, s: number, fast: FastBlock | null = null): number {
  return loopFor(k, e, out, items)(k, e, out, items, s, fast);
}

/**
 * After a total that is not finite (an element, a term or a written gradient is not): throws the
 * input's message (`diagnose`, by default the finiteness of input and target), else names the
 * first non-finite gradient. What is left is an overflow of the sum itself: see elementwiseLoss.
 */
export function checkElements<C extends Elements>(fn: string, c: C, out: FloatArray | null, diagnose?: (c: C) => void): void {
  if (diagnose) diagnose(c);
  else {
    checkFinite(fn, 'input', c.x);
    checkFinite(fn, 'target', c.y);
  }
  if (out) checkedGradient(fn, out, 'input');
}

/**
 * The mean Σ w_i ℓ_i / count when the sum overflows but the terms do not: the terms (as items)
 * scaled by 2^-64 (exactly) sum without overflow, and the mean is scaled back; Infinity (which
 * defineLoss reports as an overflow) when a term or the mean itself is beyond float64.
 */
function rescaledMean(k: Kernel, c: Elements): number {
  const items = new Float64Array(c.size);
  sumElements(k, c, null, items, 0);
  let sum = 0;
  let err = 0;
  for (let i = 0; i < items.length; i++) {
    const v = items[i]! * 2 ** -64;
    const t = sum + v;
    const bb = t - sum;
    err += sum - (t - bb) + (v - bb);
    sum = t;
  }
  return ((sum - sum === 0 ? sum + err : sum) / c.count) * 2 ** 64;
}

/** What an elementwise loss's file provides: its name, options, kernel and reader. */
export interface ElementwiseDefinition<S extends OptionSpec, C extends Elements> {
  name: string;
  options: S;
  kernel: Kernel;
  prepare: (input: Values, target: Values, options: Parsed<S>) => C;
  /** Throws the message of the arguments that made the total not finite (default: input and target finite). */
  diagnose?: (c: C) => void;
  /** The loss's own code for some blocks (see FastBlock), or null; asked once per call. */
  fast?: (c: C, out: FloatArray | null, items: Float64Array | null, s: number) => FastBlock | null;
  /** For `'none'`: the values returned, from the per-element ones (default: those), e.g. per-sample means. */
  items?: (c: C, items: Float64Array) => Float64Array;
}

/**
 * Builds an elementwise loss: defineLoss with value, grad and both in one pass over the elements
 * (sumLoop). Every element of `out` is written. A total that is not finite is diagnosed
 * (checkElements); a grad-only call then returns its finite gradient, `'none'` its finite items,
 * `'mean'` the mean rescaled (rescaledMean: the mean of 1.3e154², 1.3e154² is 1.69e308 although
 * their sum overflows), and only a loss truly beyond float64 throws (defineLoss's checkedValue).
 */
export function elementwiseLoss<S extends OptionSpec, C extends Elements>(def: ElementwiseDefinition<S, C>) {
  const fn = def.name;
  const pass = (c: C, out: FloatArray | null, wantValue: boolean): number | Float64Array => {
    const items = wantValue && c.reduction === 'none' ? new Float64Array(c.size) : null;
    const s = out ? gradScale(fn, c.reduction, c.count) : 0;
    const wasm = def.kernel.wasm;
    const fast = def.fast ? def.fast(c, out, items, s) : wasm !== null ? elementwiseWasmBlocks(wasm, c, out, items, s) : null;
    const total = sumElements(def.kernel, c, out, items, s, fast);
    if (total - total !== 0) {
      checkElements(fn, c, out, def.diagnose);
      if (wantValue && c.reduction === 'mean') return rescaledMean(def.kernel, c);
    }
    if (!wantValue) return 0;
    if (items) return def.items ? def.items(c, items) : items;
    return reduce(fn, c.reduction, total, c.count, null);
  };
  return defineLoss<Values, S, C>({
    name: fn,
    options: def.options,
    prepare: def.prepare,
    value: (c) => pass(c, null, true),
    grad(c, out) {
      pass(c, out, false);
    },
    valueAndGrad: (c, out) => pass(c, out, true),
    writesEveryElement: true,
    // sumLoop adds v - v of each stored gradient to its sum, and a sum that is not finite is diagnosed (checkElements)
    gradientsChecked: () => true,
  });
}
