import { describe, fail } from '../errors';
import { toFlat } from '../tensor/flatten';
import { shapeLike } from '../tensor/shapeLike';
import type { GradOf, Values } from '../tensor/types';
import * as scalarModule from './scalar';

// Module-local bindings of the imports used per element: CommonJS builds (tsx) read an import
// through a getter at each use, which V8 does not inline into a hot loop; these are read once.
const sigmoidPair = scalarModule.sigmoidPair;

/**
 * The logistic function, elementwise: $\sigma(x) = \frac{1}{1 + e^{-x}}$, for any finite x
 * without overflow: $1/(1 + e^{-|x|})$ or $e^{-|x|}/(1 + e^{-|x|})$, so $\sigma(-40)$ keeps its
 * digits (see sigmoidPair). NaN and ±Infinity throw, as in every loss.
 * Returns a number for a number, else the same container kind as `x`.
 *
 * @example
 * sigmoid(0) // 0.5
 * sigmoid([0, 2]) // [0.5, 0.8807970779778823]
 */
export function sigmoid(x: number): number;
export function sigmoid<I extends Values>(x: I): GradOf<I>;
export function sigmoid(x: number | Values): unknown {
  if (typeof x === 'number') {
    if (x - x !== 0) fail('sigmoid', 'x', 'a finite number', describe(x));
    return sigmoidPair(x);
  }
  const { data } = toFlat('sigmoid', 'x', x);
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = sigmoidPair(data[i]!);
  return shapeLike(x, out);
}
