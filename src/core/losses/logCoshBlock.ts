import type { FloatArray } from '../tensor/types';
import * as expModule from '../math/fastExp';
import * as logModule from '../math/fastLog';
import type { Elements, FastBlock } from './elementwise';
import * as constants from './logCoshConstants';

// module-local bindings (see bceFromLogits)
const expUnchecked = expModule.expUnchecked;
const expm1Unchecked = expModule.expm1Unchecked;
const fastLogNormal = logModule.fastLogNormal;
const { LN2, LN2_LO, SERIES, BRANCH, SLOPE_SPLIT } = constants.LOG_COSH;
const [C2, C3, C4, C5, C6, C7, C8] = constants.LOG_COSH.C;

/** The eight float64 lanes of a float32 block, as sumLoop's (elementwise.ts). */
const LANES = new Float64Array(8);
/** A float64 block's error, as sumLoop's `partErr` (the FastBlock's `error`, which the loop adds to its running error). */
const PART_ERROR = new Float64Array(1);

/**
 * The blocks of logCosh (no weights, as readElements gives): the loop of elementwise.ts with
 * logCoshTerm and logCoshSlope written out in it, operation for operation, u = exponentOf(|d|),
 * e^u - 1 and e^u computed once per element for both, so each block's sum, per-item values and
 * gradient have the loop's bits (the tests compare them). `first`, if given (the WebAssembly
 * blocks, which take float32 input and target only), takes each float32 block before this one;
 * where it returns undefined, this one runs. Float64 blocks never call it.
 *
 * Why: through k.term and k.slope the loop computes e^u twice, and the two calls exceed V8's
 * inlining budget (see bceLogitsBlock.ts), so their doubles are boxed. 1e6 elements, value and
 * gradient, on a loaded 2-core machine: float64 73-77 -> 47 ns per element, float32 without
 * WebAssembly 77-79 -> 46-48; the value alone 49-53 -> 36-41.
 *
 * Summation, as sumLoop's for the kind: on float32 input and target, eight plain lanes per block;
 * on float64 ones (number[] is read as Float64Array), two compensated lanes, the block's error
 * handed to the loop in the FastBlock's `error`. null for mixed float32 / float64 input and
 * target, weights or per-element parameters: the loop runs.
 */
export function logCoshBlocks(e: Elements, out: FloatArray | null, items: Float64Array | null, s: number, first: FastBlock | null = null): FastBlock | null {
  const { x, y, ws } = e;
  if (e.w !== null || e.q !== null) return null;
  const c = s * ws;
  if (x instanceof Float32Array && y instanceof Float32Array) {
    return (from, to) => {
      const part = first === null ? undefined : first(from, to);
      return part !== undefined ? part : float32Block(x, y, out, items, from, to, ws, c);
    };
  }
  if (!(x instanceof Float64Array && y instanceof Float64Array)) return null;
  return Object.assign((from: number, to: number) => float64Block(x, y, out, items, from, to, ws, c), { error: PART_ERROR });
}

/** Σ ws ℓ_i over [from, to) of float32 x, y in sumLoop's eight lanes, writing items and out as sumLoop does. */
function float32Block(x: Float32Array, y: Float32Array, out: FloatArray | null, items: Float64Array | null, from: number, to: number, ws: number, c: number): number {
  const lanes = LANES;
  lanes.fill(0);
  const f32Out = out instanceof Float32Array;
  for (let i = from; i < to; i++) {
    const xi = x[i]!;
    const yi = y[i]!;
    const r = xi - yi;
    const d = Math.abs(r);
    // exponentOf, then v = e^u - 1 and E = e^u once for the term and the slope
    const small = d < BRANCH;
    const u0 = small ? -d : -2 * d;
    const u = u0 < -708 ? -708 : u0;
    const v = expm1Unchecked(u);
    const ee = expUnchecked(u);
    // logCoshTerm
    const z = small ? (v * v) / (2 * ee) : ee;
    const w = 1 + z;
    const wb = w - 1;
    const lg = fastLogNormal(w, 1 - (w - wb) + (z - wb));
    const h = 0.5 * d * d;
    const series = h + h * h * (C2 + h * (C3 + h * (C4 + h * (C5 + h * (C6 + h * (C7 + h * C8))))));
    const large = d - LN2 + (lg - LN2_LO);
    let l = ws * (d < SERIES ? series : small ? lg : large);
    if (items !== null) items[i] = l;
    if (out !== null) {
      // logCoshSlope, then the kernel's slope: c (d < 0 ? -th : th)
      const nn = 0 - 2 * v - v * v;
      const q = (small ? nn : 2 * ee) / (small ? (d < SLOPE_SPLIT ? 2 - nn : 1 + ee * ee) : 1 + ee);
      const th = small ? q : 1 - q;
      const g = c * (r < 0 ? -th : th);
      const sv = f32Out ? Math.fround(g) : g;
      out[i] = sv;
      l += sv - sv;
    }
    const j = (i - from) & 7;
    lanes[j] = lanes[j]! + l;
  }
  return lanes[0]! + lanes[2]! + (lanes[4]! + lanes[6]!) + (lanes[1]! + lanes[3]! + (lanes[5]! + lanes[7]!));
}

/** Σ ws ℓ_i over [from, to) of float64 x, y in sumLoop's two compensated lanes (the error into PART_ERROR), writing items and out as sumLoop does. */
function float64Block(x: Float64Array, y: Float64Array, out: FloatArray | null, items: Float64Array | null, from: number, to: number, ws: number, c: number): number {
  const f32Out = out instanceof Float32Array;
  let lane = 0;
  let other = 0;
  let laneErr = 0;
  let otherErr = 0;
  for (let i = from; i < to; i++) {
    const xi = x[i]!;
    const yi = y[i]!;
    const r = xi - yi;
    const d = Math.abs(r);
    // exponentOf, then v = e^u - 1 and E = e^u once for the term and the slope
    const small = d < BRANCH;
    const u0 = small ? -d : -2 * d;
    const u = u0 < -708 ? -708 : u0;
    const v = expm1Unchecked(u);
    const ee = expUnchecked(u);
    // logCoshTerm
    const z = small ? (v * v) / (2 * ee) : ee;
    const w = 1 + z;
    const wb = w - 1;
    const lg = fastLogNormal(w, 1 - (w - wb) + (z - wb));
    const h = 0.5 * d * d;
    const series = h + h * h * (C2 + h * (C3 + h * (C4 + h * (C5 + h * (C6 + h * (C7 + h * C8))))));
    const large = d - LN2 + (lg - LN2_LO);
    let l = ws * (d < SERIES ? series : small ? lg : large);
    if (items !== null) items[i] = l;
    if (out !== null) {
      // logCoshSlope, then the kernel's slope: c (d < 0 ? -th : th)
      const nn = 0 - 2 * v - v * v;
      const q = (small ? nn : 2 * ee) / (small ? (d < SLOPE_SPLIT ? 2 - nn : 1 + ee * ee) : 1 + ee);
      const th = small ? q : 1 - q;
      const g = c * (r < 0 ? -th : th);
      const sv = f32Out ? Math.fround(g) : g;
      out[i] = sv;
      l += sv - sv;
    }
    // sumLoop's compensated lanes
    const t = lane + l;
    const bb = t - lane;
    const next = otherErr;
    otherErr = laneErr + (lane - (t - bb) + (l - bb));
    laneErr = next;
    lane = other;
    other = t;
  }
  const part = lane + other;
  const bb = part - lane;
  PART_ERROR[0] = lane - (part - bb) + (other - bb) + laneErr + otherErr;
  return part;
}
