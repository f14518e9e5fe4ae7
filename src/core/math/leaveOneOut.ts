import { twoSumError } from './twoSum';

/**
 * out[k] = Σ_{j≠k} v[vo + j] for j, k in [0, n), every v >= 0, each to about one ulp of itself.
 * The obvious (Σ_j v_j) - v_k cancels where v_k is most of the sum (a confident row's target
 * class, the row's other terms 1e-17 of it: the difference is then the rounding error of the
 * total). Here, with b the index of the largest v, R = Σ_{j≠b} v_j (compensated) is out[b], and
 * for k ≠ b, out[k] = (R - v_k) + v_b with R - v_k taken exactly (TwoSum), so the only roundings
 * are those of R and of the last additions, against a result >= v_b.
 */
export function leaveOneOut(v: ArrayLike<number>, vo: number, n: number, out: Float64Array): void {
  let b = 0;
  for (let j = 1; j < n; j++) if (v[vo + j]! > v[vo + b]!) b = j;
  let r = 0;
  let rError = 0;
  for (let j = 0; j < n; j++) {
    if (j === b) continue;
    const s = r + v[vo + j]!;
    rError += twoSumError(r, v[vo + j]!, s);
    r = s;
  }
  const vb = v[vo + b]!;
  for (let k = 0; k < n; k++) {
    if (k === b) {
      out[k] = r + rError;
      continue;
    }
    const d = r - v[vo + k]!;
    out[k] = d + vb + (twoSumError(r, -v[vo + k]!, d) + rError);
  }
}
