import type { FloatArray } from '../tensor/types';
import * as expModule from '../math/fastExp';
import * as logModule from '../math/fastLog';
import type { Elements, FastBlock } from './elementwise';
import * as constants from './logCoshConstants';
import * as laneModule from '../math/laneSums';

// module-local bindings (see bceFromLogits)
const { addToLanes, LANE_SLOTS, laneBlockSum } = laneModule;
const expUnchecked = expModule.expUnchecked;
const expm1Unchecked = expModule.expm1Unchecked;
const fastLogNormal = logModule.fastLogNormal;
const { LN2, LN2_LO, SERIES, BRANCH, SLOPE_SPLIT } = constants.LOG_COSH;
const [C2, C3, C4, C5, C6, C7, C8] = constants.LOG_COSH.C;

/** The eight float64 lanes of a float32 block with its folds' sum and error, as sumLoop's (elementwise.ts; math/laneSums.ts). */
const LANES = new Float64Array(LANE_SLOTS);
/** A float64 block's error, as sumLoop's `partErr` (the FastBlock's `error`, which the loop adds to its running error). */
const PART_ERROR = new Float64Array(1);

/**
 * The blocks of logCosh (no weights, as readElements gives): the loop of elementwise.ts with
 * logCoshParts (logCosh.ts) written out in it, operation for operation, so each block's sum,
 * per-item values and gradient have the loop's bits (the tests compare them). `first`, if given
 * (the WebAssembly blocks, which take float32 input and target only), takes each block before
 * this one; where it returns undefined, this one runs.
 *
 * Why: through k.term and k.slope the loop computes e^u twice, and logCoshParts with the exp,
 * expm1 and log it inlines (about 1170 bytes of bytecode) passes V8's inlining budget (920), so
 * its doubles are boxed. Here only those three are inlined (720). 1e6 elements, value and
 * gradient, without WebAssembly: 57 ns per element in the loop, 33 here (float32 or float64);
 * the value alone 31-41 -> 24. A fused term-and-slope call in the loop itself measured 49.
 *
 * Summation, as sumLoop's for the kind: on float32 input and target, eight plain lanes folded every 64 elements (math/laneSums.ts);
 * otherwise (float64 or mixed; number[] is read as Float64Array) two compensated lanes, the block's
 * error handed to the loop in the FastBlock's `error`. null for weights or per-element
 * parameters: the loop runs.
 */
export function logCoshBlocks(e: Elements, out: FloatArray | null, items: Float64Array | null, s: number, first: FastBlock | null = null): FastBlock | null {
  const { x, y, ws } = e;
  if (e.w !== null || e.q !== null) return null;
  const c = s * ws;
  if (x instanceof Float32Array && y instanceof Float32Array)
    return (from, to) => {
      const part = first === null ? undefined : first(from, to);
      return part !== undefined ? part : logCoshBlock(x, y, out, items, from, to, ws, c, false);
    };
  return Object.assign((from: number, to: number) => logCoshBlock(x, y, out, items, from, to, ws, c, true), { error: PART_ERROR });
}

/**
 * Σ ws ℓ_i over [from, to), writing items and out as sumLoop does, in sumLoop's eight plain lanes
 * or (`compensate`) its two compensated lanes, the error then into PART_ERROR.
 */
function logCoshBlock(
  x: FloatArray,
  y: FloatArray,
  out: FloatArray | null,
  items: Float64Array | null,
  from: number,
  to: number,
  ws: number,
  c: number,
  compensate: boolean,
): number {
  const lanes = LANES;
  lanes.fill(0);
  const f32Out = out instanceof Float32Array;
  let lane = 0;
  let other = 0;
  let laneErr = 0;
  let otherErr = 0;
  for (let i = from; i < to; i++) {
    const r = x[i]! - y[i]!;
    const d = Math.abs(r);
    // logCoshParts: v = e^u - 1 and E = e^u once for the term and the slope
    const small = d < BRANCH;
    const u0 = small ? -d : -2 * d;
    const u = u0 < -708 ? -708 : u0;
    const v = expm1Unchecked(u);
    const ee = expUnchecked(u);
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
      const nn = 0 - 2 * v - v * v;
      const q = (small ? nn : 2 * ee) / (small ? (d < SLOPE_SPLIT ? 2 - nn : 1 + ee * ee) : 1 + ee);
      const th = small ? q : 1 - q;
      const g = c * (r < 0 ? -th : th);
      const sv = f32Out ? Math.fround(g) : g;
      out[i] = sv;
      l += sv - sv;
    }
    if (compensate) {
      // sumLoop's compensated lanes
      const t = lane + l;
      const bb = t - lane;
      const next = otherErr;
      otherErr = laneErr + (lane - (t - bb) + (l - bb));
      laneErr = next;
      lane = other;
      other = t;
    } else {
      addToLanes(lanes, l, i - from, to - from);
    }
  }
  if (!compensate) return laneBlockSum(lanes);
  const part = lane + other;
  const bb = part - lane;
  PART_ERROR[0] = lane - (part - bb) + (other - bb) + laneErr + otherErr;
  return part;
}
