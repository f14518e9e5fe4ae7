import type { FloatArray } from '../tensor/types';
import * as expModule from '../math/fastExp';
import * as logModule from '../math/fastLog';
import { softplusKernelsFor } from '../math/wasmSoftplus';
import * as bceModule from './bceFromLogits';
import type { Elements, FastBlock } from './elementwise';
import { stagedBlocks } from './elementwiseWasm';
import * as laneModule from '../math/laneSums';

// module-local bindings (see bceFromLogits)
const { addToLanes, LANE_SLOTS, laneBlockSum } = laneModule;
const expUnchecked = expModule.expUnchecked;
const fastLogNormal = logModule.fastLogNormal;
const CANCELLED = bceModule.CANCELLED;

/** The eight float64 lanes of a float32 block with its folds' sum and error, as sumLoop's (elementwise.ts; math/laneSums.ts). */
const LANES = new Float64Array(LANE_SLOTS);
/** A compensated block's error, as sumLoop's `partErr` (the FastBlock's `error`, which the loop adds to its running error). */
const PART_ERROR = new Float64Array(1);

/**
 * The blocks of binaryCrossEntropyWithLogits without per-element weights or posWeight and without
 * label smoothing (a scalar weight and posWeight are taken), on float32 or float64 logits and
 * targets: the loop of elementwise.ts, with bceFromLogits and its slope written out in it,
 * operation for operation, so each block's sum and gradient have the loop's bits (the tests
 * compare both), summed as sumLoop sums that kind: eight plain lanes on float32 input and target,
 * otherwise (float64 or mixed; number[] is read as Float64Array) two compensated lanes, the
 * block's error handed to the loop in the FastBlock's `error`.
 *
 * Why: the loop reaches the kernel through k.term and k.slope, and V8 inlines a call only while
 * the inlined bytecode stays under 920 bytes, a candidate counted with what its own optimized code
 * inlines, times 1.2. bceFromLogits (with fastExp, fastLog1p) comes to ~750 bytes by itself, so it
 * stayed a call, and a call's double arguments and result are boxed: 32 bytes of garbage per
 * element (a scavenge every ~130k elements, 40 % of the 1e6 bench in GC). Here only expUnchecked
 * and fastLogNormal are left to inline (~470 bytes). A block with a logit beyond ±709 (where
 * expUnchecked is not fastExp) or a gradient that cancels (redone in double-double by the slope)
 * returns undefined and the loop takes it. Where WebAssembly SIMD is on, its kernel
 * (math/wasmSoftplus.ts, float32 arguments only) takes each block first, with the same bits; where it refuses one (NaN), this block runs.
 */
export function bceLogitsBlocks(e: Elements, out: FloatArray | null, items: Float64Array | null, s: number): FastBlock | null {
  const { x, y } = e;
  if (e.w !== null || e.q !== null || e.b !== 0 || items !== null) return null;
  const ws = e.ws;
  const q = e.a;
  const c = s * ws;
  if (x instanceof Float32Array && y instanceof Float32Array) {
    // narrowed by a conditional, not by `out !== null && ...`, which needs strictNullChecks (tslab compiles without)
    const out32 = out === null ? null : out instanceof Float32Array ? out : undefined;
    const k = out32 !== undefined && e.size >= 64 ? softplusKernelsFor(x.buffer) : null;
    const wasm = k ? stagedBlocks(k.memory, k.bceLogitsF32, x, y, out32 ?? null, c, q, ws) : null;
    return (from, to) => {
      // the WebAssembly block (softplusKernelsSource.ts: this block's steps in f64x2, the same bits), NaN where it refuses
      const part = wasm === null ? undefined : wasm(from, to);
      return part !== undefined && part === part ? part : bceLogitsBlock(x, y, out, from, to, ws, q, c, false);
    };
  }
  return Object.assign((from: number, to: number) => bceLogitsBlock(x, y, out, from, to, ws, q, c, true), { error: PART_ERROR });
}

/**
 * Σ ws ℓ_i over [from, to) in sumLoop's eight plain lanes or (`compensate`) its two compensated
 * lanes (the error then into PART_ERROR), writing out[i] = c ∂ℓ/∂x_i as stored (rounded to
 * float32 for a Float32Array) and adding v - v to the term, as sumLoop does; undefined where the
 * loop must take the block (see above).
 */
function bceLogitsBlock(x: FloatArray, y: FloatArray, out: FloatArray | null, from: number, to: number, ws: number, q: number, c: number, compensate: boolean): number | undefined {
  const lanes = LANES;
  lanes.fill(0);
  const f32Out = out instanceof Float32Array;
  let lane = 0;
  let other = 0;
  let laneErr = 0;
  let otherErr = 0;
  for (let i = from; i < to; i++) {
    const xi = x[i]!;
    const yi = y[i]!;
    // bceFromLogits (s = 0): fastLog1p(fastExp(-|x|)), fastExp as expUnchecked on [-709, 0]
    const z = -Math.abs(xi);
    // the loop takes logits beyond ±709 and non-finite ones, and targets outside [0, 1] (its term is NaN there)
    if (!(z >= -709 && yi >= 0 && yi <= 1)) return undefined;
    const ex = expUnchecked(z);
    const u = 1 + ex;
    const ub = u - 1;
    const lp = fastLogNormal(u, 1 - (u - ub) + (ex - ub));
    const neg = (xi < 0 ? -xi : 0) + lp;
    const pos = (xi > 0 ? xi : 0) + lp;
    let l = ws * (q * yi * neg + (1 - yi) * pos);
    if (out !== null) {
      // bceFromLogitsSlope (s = 0): sigmoidPair's σ(x), σ(-x), then (1 - t) σ(x) - q t σ(-x)
      const big = 1 / u;
      const small = ex / u;
      const p = xi >= 0 ? big : small;
      const n = xi >= 0 ? small : big;
      const a = (1 - yi) * p;
      const b = q * yi * n;
      const g = a - b;
      if (Math.abs(g) < CANCELLED * (a + b)) return undefined;
      const v = f32Out ? Math.fround(c * g) : c * g;
      out[i] = v;
      l += v - v;
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
