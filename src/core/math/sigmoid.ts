import { toFlat } from '../tensor/flatten';
import { shapeLike } from '../tensor/shapeLike';
import type { GradOf, Values } from '../tensor/types';
import * as scalarModule from './scalar';

// Module-local bindings of the imports used per element: CommonJS builds (tsx) read an import
// through a getter at each use, which V8 does not inline into a hot loop; these are read once.
const sigmoidScalar = scalarModule.sigmoidScalar;

/**
 * The logistic function, elementwise: $\sigma(x) = \frac{1}{1 + e^{-x}}$,
 * computed without overflow for any finite or infinite x.
 * Returns a number for a number, else the same container kind as `x`.
 *
 * @example
 * sigmoid(0) // 0.5
 * sigmoid([0, 2]) // [0.5, 0.8807970779778823]
 */
export function sigmoid(x: number): number;
export function sigmoid<I extends Values>(x: I): GradOf<I>;
export function sigmoid(x: number | Values): unknown {
  if (typeof x === 'number') return sigmoidScalar(x);
  const { data } = toFlat('sigmoid', 'x', x);
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = sigmoidScalar(data[i]!);
  return shapeLike(x, out);
}
