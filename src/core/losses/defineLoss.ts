import { shapeLike } from '../tensor/shapeLike';
import type { GradOf, Reduction, Values } from '../tensor/types';

/** Options every loss takes: how the per-item losses are combined (default `'mean'`). */
export interface ReductionOptions<R extends string = Reduction> {
  reduction?: R;
}

/**
 * A loss function `f(input, target, options?)` with its analytic gradient
 * `f.grad(input, target, options?)` = d f / d input, shaped like `input`
 * (for `'none'`, the gradient of the sum of the per-item losses).
 * Reduced losses return a number; `reduction: 'none'` returns a Float64Array
 * of per-element (elementwise losses) or per-sample (class losses) values.
 */
export interface Loss<T, O extends ReductionOptions<string>> {
  (input: Values, target: T, options?: O & { reduction?: Exclude<O['reduction'], 'none'> }): number;
  (input: Values, target: T, options: O & { reduction: 'none' }): Float64Array;
  (input: Values, target: T, options?: O): number | Float64Array;
  grad<I extends Values>(input: I, target: T, options?: O): GradOf<I>;
  /** The loss's export name, e.g. `'mse'`. */
  readonly lossName: string;
}

/** What a loss's implementation file provides; see any file in `losses/`. */
export interface LossDefinition<T, C extends { size: number }> {
  name: string;
  /** Validates and reads the arguments once; `size` is the element count of `input`. */
  prepare(input: Values, target: T, options: unknown): C;
  /** The reduced loss, or per-item values for `'none'`. */
  value(c: C): number | Float64Array;
  /** Writes d loss / d input (flat, row-major) into `out`, of length `c.size`. */
  grad(c: C, out: Float64Array): void;
}

/** Builds the public function of a loss from its definition. */
export function defineLoss<T, O extends ReductionOptions<string>, C extends { size: number }>(def: LossDefinition<T, C>): Loss<T, O> {
  const f = (input: Values, target: T, options?: O) => def.value(def.prepare(input, target, options));
  const grad = <I extends Values>(input: I, target: T, options?: O): GradOf<I> => {
    const c = def.prepare(input, target, options);
    const out = new Float64Array(c.size);
    def.grad(c, out);
    return shapeLike(input, out) as GradOf<I>;
  };
  Object.defineProperty(f, 'name', { value: def.name });
  return Object.assign(f, { grad, lossName: def.name }) as Loss<T, O>;
}
