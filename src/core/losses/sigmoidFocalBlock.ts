import type { FloatArray } from '../tensor/types';
import * as expModule from '../math/fastExp';
import * as logModule from '../math/fastLog';
import * as bceModule from './bceFromLogits';
import type { Elements, FastBlock } from './elementwise';
import { wasmBlocks } from './elementwiseWasm';
import { softplusKernelsFor } from '../math/wasmSoftplus';
import * as laneModule from '../math/laneSums';

// module-local bindings (see bceFromLogits)
const { addToLanes, LANE_SLOTS, laneBlockSum } = laneModule;
const expUnchecked = expModule.expUnchecked;
const fastLogNormal = logModule.fastLogNormal;
const CANCELLED = bceModule.CANCELLED;

/** The eight float64 lanes of a float32 block with its folds' sum and error, as sumLoop's (elementwise.ts; math/laneSums.ts). */
const LANES = new Float64Array(LANE_SLOTS);

/**
 * The blocks of sigmoidFocalLoss on float32 logits and targets (α = a, γ = b): the loop of
 * elementwise.ts with the loss's term and slope written out in it, operation for operation, from
 * one e = exp(-|x|) and one log1p(e) per element (the term and the slope each take both, and
 * neither is inlined into the loop), so each block's sum, per-item values and gradient have the
 * loop's bits (the tests compare them). Summed in sumLoop's eight plain lanes. A block with a logit
 * beyond ±709 (where expUnchecked is not fastExp), a target outside [0, 1] (a NaN term) or a
 * gradient that cancels (redone in double-double by the slope) returns undefined: the loop takes
 * it. null for float64 arguments: the loop runs. 1e6 float32 elements, value and gradient: 75 ms in
 * the loop (110 before its term and slope shared their exp), 26 here. For γ in {0, 1, 2}
 * without per-item values, its WebAssembly kernel (math/wasmSoftplus.ts) takes each block first,
 * with the same bits (12-18 ns an element on a host where this block took 43-49); where it
 * refuses one (NaN), this block runs.
 */
export function sigmoidFocalBlocks(e: Elements, out: FloatArray | null, items: Float64Array | null, s: number): FastBlock | null {
  const { x, y } = e;
  if (!(x instanceof Float32Array && y instanceof Float32Array) || e.w !== null || e.q !== null) return null;
  const { a: alpha, b: gamma } = e;
  const c = s * e.ws;
  // the WebAssembly block (softplusKernelsSource.ts: this block's steps in f64x2, the same bits) for γ in {0, 1, 2}, NaN where it refuses
  const wasm = gamma === 0 || gamma === 1 || gamma === 2 ? wasmBlocks(softplusKernelsFor, 'sigmoidFocalF32', e, out, items, s) : null;
  return (from, to) => {
    const part = wasm === null ? undefined : wasm(from, to);
    return part !== undefined && part === part ? part : sigmoidFocalBlock(x, y, out, items, from, to, alpha, gamma, e.ws, c);
  };
}

/** Σ ws ℓ_i over [from, to) in sumLoop's eight lanes, writing items and out as sumLoop does; undefined where the loop must take the block (see above). */
function sigmoidFocalBlock(
  x: Float32Array,
  y: Float32Array,
  out: FloatArray | null,
  items: Float64Array | null,
  from: number,
  to: number,
  alpha: number,
  gamma: number,
  ws: number,
  c: number,
): number | undefined {
  const lanes = LANES;
  lanes.fill(0);
  const f32Out = out instanceof Float32Array;
  // alphaT's branch on α, taken once (power's on γ stays per element, as in the kernel)
  const weighted = alpha >= 0;
  for (let i = from; i < to; i++) {
    const xi = x[i]!;
    const t = y[i]!;
    const z = -Math.abs(xi);
    if (!(z >= -709 && t >= 0 && t <= 1)) return undefined;
    // sigmoidPairOf: σ(x), σ(-x) from e; bceFromLogits' log1p(e) = fastLogNormal(u, (1 - (u - ub)) + (e - ub))
    const ex = expUnchecked(z);
    const u = 1 + ex;
    const big = 1 / u;
    const small = ex / u;
    const p = xi >= 0 ? big : small;
    const n = xi >= 0 ? small : big;
    const ub = u - 1;
    const lp = fastLogNormal(u, 1 - (u - ub) + (ex - ub));
    // oneMinusPt, alphaT, power, hardBce (bceFromLogits at q = 1, s = 0)
    const m = (1 - t) * p + t * n;
    const at = weighted ? alpha * t + (1 - alpha) * (1 - t) : 1;
    const pw = gamma === 2 ? m * m : gamma === 1 ? m : gamma === 0 ? 1 : Math.pow(m, gamma);
    const bce = t * ((xi < 0 ? -xi : 0) + lp) + (1 - t) * ((xi > 0 ? xi : 0) + lp);
    let l = ws * (at * pw * bce);
    if (items !== null) items[i] = l;
    if (out !== null) {
      const focus = gamma === 0 || m === 0 ? 0 : gamma * (1 - 2 * t) * ((p * n) / m) * bce;
      const a = (1 - t) * p;
      const b = t * n;
      const g0 = a - b;
      if (Math.abs(g0) < CANCELLED * (a + b)) return undefined;
      const g = c * at * pw * (g0 + focus);
      const v = f32Out ? Math.fround(g) : g;
      out[i] = v;
      l += v - v;
    }
    addToLanes(lanes, l, i - from, to - from);
  }
  return laneBlockSum(lanes);
}
