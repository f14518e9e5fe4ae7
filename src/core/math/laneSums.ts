/**
 * The eight plain float64 lanes that the elementwise blocks on float32 arguments sum in (sumLoop
 * in losses/elementwise.ts writes them out; the blocks of bceLogitsBlock.ts, logCoshBlock.ts and
 * sigmoidFocalBlock.ts call these): element k of a block (k = i - from) goes to lane k mod 8, and
 * each 64 elements' lanes are added as ((l0 + l2) + (l4 + l6)) + ((l1 + l3) + (l5 + l7)), the
 * order of the WebAssembly kernels' four f64x2 accumulators (octetLoop.ts), into the block's sum
 * with its error (TwoSum), the lanes then cleared. `lanes` holds the eight lanes, the sum and the
 * error: a Float64Array of LANE_SLOTS, zeroed at the block's start.
 */
export const LANE_SLOTS = 10;

/** Adds term `l` of element k (of a block of `size`) to its lane, folding the lanes at each 64th element and at the last. */
export function addToLanes(lanes: Float64Array, l: number, k: number, size: number): void {
  const j = k & 7;
  lanes[j] = lanes[j]! + l;
  if ((k & 63) !== 63 && k !== size - 1) return;
  const part = lanes[0]! + lanes[2]! + (lanes[4]! + lanes[6]!) + (lanes[1]! + lanes[3]! + (lanes[5]! + lanes[7]!));
  const sum = lanes[8]!;
  const t = sum + part;
  const bb = t - sum;
  lanes[9] = lanes[9]! + (sum - (t - bb) + (part - bb));
  lanes[8] = t;
  for (let z = 0; z < 8; z++) lanes[z] = 0;
}

/** The block's sum: its folds plus their errors (the sum itself once it is not finite, whose error is NaN). */
export function laneBlockSum(lanes: Float64Array): number {
  const sum = lanes[8]!;
  return sum - sum === 0 ? sum + lanes[9]! : sum;
}
