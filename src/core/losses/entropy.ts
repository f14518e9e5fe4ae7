import { toRows } from '../tensor/flatten';
import { assertProbabilities } from '../tensor/probabilities';
import type { Matrix, Vector } from '../tensor/types';

/**
 * Shannon entropy (엔트로피) in nats, the uncertainty of a distribution $p$:
 * $H(p) = H(p, p)$, the cross-entropy of $p$ with itself,
 *
 * $$H(p) = -\sum_j p_j \ln p_j, \qquad 0 \ln 0 = 0$$
 *
 * - Shapes: a `[C]` distribution gives a number; a `[N, C]` batch gives a Float64Array of
 *   the N row entropies.
 * - Input: probabilities in [0, 1] (throws otherwise); rows are not required to sum to 1, the
 *   formula is applied as written. Divide by $\ln 2$ for bits.
 * - Not a loss: no reduction, no gradient ($\partial H/\partial p_j = -\ln p_j - 1$ if needed).
 * - PyTorch: `torch.distributions.Categorical(probs=p).entropy()` (which also normalizes rows).
 *
 * @example
 * entropy([1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6]) // 1.7917594692280547 (ln 6, a fair die)
 * entropy([[0.5, 0.5], [1, 0]]) // Float64Array [0.6931471805599453, 0]
 */
export function entropy(p: Vector): number;
export function entropy(p: Matrix): Float64Array;
export function entropy(p: Vector | Matrix): number | Float64Array {
  const { data, rows, cols, shape } = toRows('entropy', 'p', p);
  assertProbabilities('entropy', 'p', data);
  if (shape.length === 1) return crossEntropyRow(data, data, 0, cols);
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++) out[r] = crossEntropyRow(data, data, r * cols, cols);
  return out;
}

/** H(p, q) = -Σ_j p_j ln q_j over one row, with 0 ln q = 0. */
function crossEntropyRow(p: ArrayLike<number>, q: ArrayLike<number>, o: number, cols: number): number {
  let h = 0;
  for (let j = o; j < o + cols; j++) if (p[j] !== 0) h -= p[j]! * Math.log(q[j]!);
  return h;
}
