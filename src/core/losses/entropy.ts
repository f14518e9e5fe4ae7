import { fail } from '../errors';
import { logDifference } from '../math/logDifference';
import { compensated, twoSumError } from '../math/twoSum';
import { toRows } from '../tensor/flatten';
import { assertProbabilities } from '../tensor/probabilities';
import { shapeLike } from '../tensor/shapeLike';
import type { GradOf, Matrix, Values, Vector } from '../tensor/types';

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
 * - Gradient (`entropy.grad`, `entropy.valueAndGrad`): $\partial H/\partial p_j = -\ln p_j - 1$,
 *   shaped like `p`; for a batch, the gradient of the sum of the row entropies (each row's own).
 *   It is $+\infty$ at $p_j = 0$, so the gradient throws there (the value does not).
 * - Not a loss: no reduction. PyTorch: `torch.distributions.Categorical(probs=p).entropy()`
 *   (which also normalizes rows, so its gradient differs off the simplex).
 *
 * @example
 * entropy([1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6, 1 / 6]) // 1.791759469228055 (ln 6, a fair die)
 * entropy([[0.5, 0.5], [1, 0]]) // Float64Array [0.6931471805599453, 0]
 * entropy.grad([0.5, 0.5]) // [-0.3068528194400547, -0.3068528194400547]
 */
export const entropy = Object.assign(entropyValue, { grad: entropyGrad, valueAndGrad: entropyValueAndGrad });

function entropyValue(p: Vector): number;
function entropyValue(p: Matrix): Float64Array;
function entropyValue(p: Vector | Matrix): number | Float64Array;
function entropyValue(p: Vector | Matrix): number | Float64Array {
  return entropyValueAndGrad(p, false).value;
}

/** d H / d p = -ln p - 1, shaped like `p`; throws where some p_j is 0 (the slope is infinite there). */
function entropyGrad<I extends Values>(p: I): GradOf<I> {
  return entropyValueAndGrad(p).grad;
}

/** The entropy and its gradient in one pass (see entropy). */
function entropyValueAndGrad<I extends Values>(p: I, withGrad = true): { value: number | Float64Array; grad: GradOf<I> } {
  const fn = withGrad ? 'entropy.grad' : 'entropy';
  const { data, rows, cols, shape } = toRows(fn, 'p', p);
  assertProbabilities(fn, 'p', data);
  const out = withGrad ? new Float64Array(data.length) : null;
  const values = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    // The terms -p ln p are all >= 0: a compensated sum keeps the row's value to an ulp or two.
    let h = 0;
    let err = 0;
    for (let j = r * cols; j < (r + 1) * cols; j++) {
      const pj = data[j]!;
      if (pj !== 0) {
        const term = -pj * Math.log(pj);
        const next = h + term;
        err += twoSumError(h, term, next);
        h = next;
      }
      if (out) {
        if (pj === 0) fail(fn, `p[${j}]`, 'positive (the slope -ln p - 1 is infinite at 0)', '0');
        out[j] = entropySlope(pj);
      }
    }
    values[r] = compensated(h, err);
  }
  const value = shape.length === 1 ? values[0]! : values;
  return { value, grad: (out ? shapeLike(p, out) : null) as GradOf<I> };
}

/** -ln p - 1. Near p = 1/e the two terms cancel, so there it is logDifference(-1, p). */
function entropySlope(p: number): number {
  const g = -Math.log(p) - 1;
  if (!(Math.abs(g) < 0.25) || p < 2.2250738585072014e-308) return g;
  return logDifference(-1, p);
}
