/**
 * The totals over rows are compensated (RunningTotal): N copies of one row sum to N times its
 * loss, rounded once (a closed form: N · fl(ℓ) in one multiplication is the correctly rounded
 * exact sum), where a plain `total += ℓ` drifts by thousands of ulps over 1e5 rows.
 */
import { describe, expect, it } from 'vitest';
import {
  categoricalHinge,
  completeBoxIouLoss,
  cosineEmbeddingLoss,
  diceLoss,
  distanceBoxIouLoss,
  gaussianNllLoss,
  generalizedBoxIouLoss,
  marginRankingLoss,
  tripletMarginLoss,
} from '../../src';

const N = 100_003;

/** `row` repeated n times, as a [n, row.length] tensor of `Kind`. */
function tiled(row: readonly number[], n: number, Kind: typeof Float64Array | typeof Float32Array = Float64Array) {
  const data = new Kind(n * row.length);
  for (let r = 0; r < n; r++) data.set(row, r * row.length);
  return { data, shape: [n, row.length] };
}

/** The float64 spacing at x. */
const ulp = (x: number) => 2 ** (Math.floor(Math.log2(Math.abs(x))) - 52);

/** A plain left-to-right sum of n copies of v: what the totals were. */
function plainSum(v: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += v;
  return s;
}

const rowA = [0.3, 0.7, 0.1, 0.9];
const rowB = [0.2, 0.6, 0.5, 0.4];
const box1 = [0.1, 0.2, 3.7, 2.9];
const box2 = [0.5, 0.1, 4.1, 3.3];

/** tripletMarginLoss over n copies of one triplet (rowA, rowB, rowB + 0.35), summed. */
function triplets(n: number, Kind: typeof Float64Array | typeof Float32Array, options: { p?: number }): number {
  const negative = rowB.map((v) => v + 0.35);
  return tripletMarginLoss(tiled(rowA, n, Kind), tiled(rowB, n, Kind), tiled(negative, n, Kind), { ...options, reduction: 'sum' });
}

describe('a loss over N equal rows with reduction sum is N times one row, rounded once', () => {
  it.each<[string, (n: number) => number]>([
    ['generalizedBoxIouLoss', (n) => generalizedBoxIouLoss(tiled(box1, n), tiled(box2, n), { reduction: 'sum' })],
    ['distanceBoxIouLoss', (n) => distanceBoxIouLoss(tiled(box1, n), tiled(box2, n), { reduction: 'sum' })],
    ['completeBoxIouLoss', (n) => completeBoxIouLoss(tiled(box1, n), tiled(box2, n), { reduction: 'sum' })],
    ['tripletMarginLoss (float64 rows)', (n) => triplets(n, Float64Array, {})],
    ['tripletMarginLoss (float32, the WebAssembly rows)', (n) => triplets(n, Float32Array, {})],
    ['tripletMarginLoss (p = 1)', (n) => triplets(n, Float64Array, { p: 1 })],
    ['cosineEmbeddingLoss', (n) => cosineEmbeddingLoss(tiled(rowA, n), tiled(rowB, n), new Array<number>(n).fill(1), { reduction: 'sum' })],
    ['categoricalHinge', (n) => categoricalHinge(tiled(rowA, n), tiled([0, 1, 0, 0], n), { reduction: 'sum' })],
    ['diceLoss', (n) => diceLoss(tiled(rowA, n), tiled([0, 1, 0, 1], n), { reduction: 'sum' })],
    [
      'marginRankingLoss',
      (n) => marginRankingLoss(new Array<number>(n).fill(0.3), new Array<number>(n).fill(0.2), new Array<number>(n).fill(-1), { margin: 0.1, reduction: 'sum' }),
    ],
    ['gaussianNllLoss', (n) => gaussianNllLoss(new Array<number>(n).fill(0.3), new Array<number>(n).fill(0.2), new Array<number>(n).fill(1.7), { reduction: 'sum' })],
  ])('%s', (_name, sum) => {
    const one = sum(1);
    const exact = N * one;
    const total = sum(N);
    expect(Math.abs(total - exact)).toBeLessThanOrEqual(ulp(exact));
    // the plain sum this replaces is far off on these rows: the check can tell the two apart
    expect(Math.abs(plainSum(one, N) - exact)).toBeGreaterThan(8 * ulp(exact));
  });
});
