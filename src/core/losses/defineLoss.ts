import { describe, fail } from '../errors';
import { shapeLike } from '../tensor/shapeLike';
import type { FloatArray, GradOf, Reduction, Values } from '../tensor/types';

/** Options every loss takes: how the per-item losses are combined (default `'mean'`). */
export interface ReductionOptions<R extends string = Reduction> {
  reduction?: R;
}

/** A caller's buffer for the gradient, so training loops do not allocate. */
export interface OutOption<B extends FloatArray = FloatArray> {
  /** Receives d loss / d input, flat row-major, length = input element count; returned as is. */
  out: B;
}

/** A loss value together with its gradient, from one pass. */
export interface ValueAndGrad<G> {
  value: number | Float64Array;
  grad: G;
}

/**
 * A loss function `f(input, target, options?)` with its analytic gradient
 * `f.grad(input, target, options?)` = d f / d input, shaped like `input`
 * (for `'none'`, the gradient of the sum of the per-item losses).
 * Reduced losses return a number; `reduction: 'none'` returns a Float64Array
 * of per-element (elementwise losses) or per-sample (class losses) values.
 * `f.grad` and `f.valueAndGrad` take an `out` buffer to write the gradient into.
 */
export interface Loss<T, O extends ReductionOptions<string>> {
  (input: Values, target: T, options?: O & { reduction?: Exclude<O['reduction'], 'none'> }): number;
  (input: Values, target: T, options: O & { reduction: 'none' }): Float64Array;
  (input: Values, target: T, options?: O): number | Float64Array;
  grad<B extends FloatArray>(input: Values, target: T, options: O & OutOption<B>): B;
  grad<I extends Values>(input: I, target: T, options?: O): GradOf<I>;
  valueAndGrad<B extends FloatArray>(input: Values, target: T, options: O & OutOption<B>): ValueAndGrad<B>;
  valueAndGrad<I extends Values>(input: I, target: T, options?: O): ValueAndGrad<GradOf<I>>;
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
  grad(c: C, out: FloatArray): void;
  /** Optional fused pass: writes the gradient and returns the value. Defaults to value then grad. */
  valueAndGrad?(c: C, out: FloatArray): number | Float64Array;
}

/** Splits the `out` buffer off the loss's own options. */
function takeOut(fn: string, options: unknown): { out: FloatArray | undefined; rest: unknown } {
  if (typeof options !== 'object' || options === null || !('out' in options)) return { out: undefined, rest: options };
  const { out, ...rest } = options as { out: unknown };
  if (!(out instanceof Float64Array || out instanceof Float32Array)) fail(fn, 'options.out', 'a Float32Array or Float64Array', describe(out));
  return { out: out as FloatArray, rest };
}

function checkOut(fn: string, out: FloatArray, size: number): FloatArray {
  if (out.length !== size) fail(fn, 'options.out.length', `${size}, the input's element count`, String(out.length));
  return out;
}

/** Builds the public function of a loss from its definition. */
export function defineLoss<T, O extends ReductionOptions<string>, C extends { size: number }>(def: LossDefinition<T, C>): Loss<T, O> {
  const fn = def.name;
  const f = (input: Values, target: T, options?: O) => def.value(def.prepare(input, target, options));

  const run = (input: Values, target: T, options: unknown, withValue: boolean) => {
    const { out, rest } = takeOut(fn, options);
    const c = def.prepare(input, target, rest);
    const buffer = out ? checkOut(fn, out, c.size) : new Float64Array(c.size);
    let value: number | Float64Array = 0;
    if (withValue && def.valueAndGrad) value = def.valueAndGrad(c, buffer);
    else {
      if (withValue) value = def.value(c);
      def.grad(c, buffer);
    }
    return { value, grad: out ? out : shapeLike(input, buffer as Float64Array) };
  };

  const grad = (input: Values, target: T, options?: unknown) => run(input, target, options, false).grad;
  const valueAndGrad = (input: Values, target: T, options?: unknown) => run(input, target, options, true);
  Object.defineProperty(f, 'name', { value: fn });
  return Object.assign(f, { grad, valueAndGrad, lossName: fn }) as unknown as Loss<T, O>;
}
