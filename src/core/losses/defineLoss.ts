import { describe, fail, overflow } from '../errors';
import { assertPlainOptions, defaultsOf, parseOptions, type Defaults, type OptionSpec, type OptionsOf, type Parsed } from '../options';
import { shapeLike } from '../tensor/shapeLike';
import type { FloatArray, GradOf, Reduction, Values } from '../tensor/types';

/** Options every loss takes: how the per-item losses are combined (default `'mean'`). */
export interface ReductionOptions<R extends string = Reduction> {
  reduction?: R;
}

/** A caller's buffer for the gradient, so training loops do not allocate. */
export interface OutOption<B extends FloatArray = FloatArray> {
  /**
   * Receives d loss / d input, flat row-major, length = input element count; returned as is.
   * Every element is written on every call (a buffer reused across steps never keeps stale
   * values). It must not share memory with any argument.
   */
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
export interface Loss<T, O extends ReductionOptions<string>, D = Readonly<Record<string, unknown>>> {
  (input: Values, target: T, options?: O & { reduction?: Exclude<O['reduction'], 'none'> }): number;
  (input: Values, target: T, options: O & { reduction: 'none' }): Float64Array;
  (input: Values, target: T, options?: O): number | Float64Array;
  grad<B extends FloatArray>(input: Values, target: T, options: O & OutOption<B>): B;
  grad<I extends Values>(input: I, target: T, options?: O): GradOf<I>;
  valueAndGrad<B extends FloatArray>(input: Values, target: T, options: O & OutOption<B>): ValueAndGrad<B>;
  valueAndGrad<I extends Values>(input: I, target: T, options?: O): ValueAndGrad<GradOf<I>>;
  /** The loss's export name, e.g. `'mse'`. */
  readonly lossName: string;
  /** Each option's default, e.g. `crossEntropy.defaults.ignoreIndex` is -100. */
  readonly defaults: D;
}

/** What a loss's implementation file provides; see any file in `losses/`. */
export interface LossDefinition<T, S extends OptionSpec, C extends { size: number }> {
  name: string;
  /** The options spec: one validator (with its default) per option; the options type derives from it. */
  options: S;
  /** Validates and reads the arguments once (options already parsed); `size` is the element count of `input`. */
  prepare(input: Values, target: T, options: Parsed<S>): C;
  /** The reduced loss, or per-item values for `'none'`. */
  value(c: C): number | Float64Array;
  /** Writes d loss / d input (flat, row-major) into `out`, of length `c.size`. */
  grad(c: C, out: FloatArray): void;
  /** Optional fused pass: writes the gradient and returns the value. Defaults to value then grad. */
  valueAndGrad?(c: C, out: FloatArray): number | Float64Array;
  /**
   * `true` when `grad` / `valueAndGrad` write every element of `out` themselves (checked for
   * every loss by test/hostile/outContract.test.ts with NaN-filled buffers). Otherwise
   * defineLoss zeroes a caller's `out` first, so no element keeps a stale value.
   */
  writesEveryElement?: boolean;
}

/** The typed-array memory of an argument (a typed array, or a tensor's data), if any. */
function memoryOf(x: unknown): ArrayBufferView | null {
  if (ArrayBuffer.isView(x)) return x;
  if (typeof x === 'object' && x !== null && !Array.isArray(x) && ArrayBuffer.isView((x as { data?: unknown }).data)) return (x as { data: ArrayBufferView }).data;
  return null;
}

function overlaps(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/** Splits the `out` buffer off the loss's own options; `out: undefined` counts as absent. */
function takeOut(fn: string, options: unknown, args: readonly [string, unknown][]): { out: FloatArray | undefined; rest: Record<string, unknown> } {
  const given = assertPlainOptions(fn, options);
  if (!Object.prototype.hasOwnProperty.call(given, 'out')) return { out: undefined, rest: given };
  const { out, ...rest } = given;
  if (out === undefined) return { out: undefined, rest };
  if (!(out instanceof Float64Array || out instanceof Float32Array)) fail(fn, 'options.out', 'a Float32Array or Float64Array', describe(out));
  for (const [name, arg] of [...args, ...Object.entries(rest).map(([k, v]) => [`options.${k}`, v] as [string, unknown])]) {
    const memory = memoryOf(arg);
    if (memory && overlaps(out, memory)) fail(fn, 'options.out', `a buffer that shares no memory with ${name}`, `a ${out.constructor.name} overlapping ${name}`);
  }
  return { out, rest };
}

function checkOut(fn: string, out: FloatArray, size: number): FloatArray {
  if (out.length !== size) fail(fn, 'options.out.length', `${size}, the input's element count`, String(out.length));
  return out;
}

/** Throws unless the value (or every per-item value) is finite: an overflow never comes back as Infinity. */
export function checkedValue(fn: string, value: number | Float64Array): number | Float64Array {
  if (typeof value === 'number') {
    if (value - value !== 0) overflow(fn, 'the loss', value);
    return value;
  }
  for (let i = 0; i < value.length; i++) if (value[i]! - value[i]! !== 0) overflow(fn, `the loss of item ${i}`, value[i]!);
  return value;
}

/** Builds the public function of a loss from its definition. */
export function defineLoss<T, S extends OptionSpec, C extends { size: number }>(def: LossDefinition<T, S, C>): Loss<T, OptionsOf<S> & ReductionOptions<string>, Defaults<S>> {
  const fn = def.name;
  const f = (input: Values, target: T, options?: unknown) => checkedValue(fn, def.value(def.prepare(input, target, parseOptions(fn, options, def.options))));

  const run = (input: Values, target: T, options: unknown, withValue: boolean) => {
    const { out, rest } = takeOut(fn, options, [
      ['input', input],
      ['target', target],
    ]);
    const c = def.prepare(input, target, parseOptions(fn, rest, def.options));
    const buffer = out ? checkOut(fn, out, c.size) : new Float64Array(c.size);
    if (out && !def.writesEveryElement) out.fill(0);
    let value: number | Float64Array = 0;
    if (withValue && def.valueAndGrad) value = def.valueAndGrad(c, buffer);
    else {
      if (withValue) value = def.value(c);
      def.grad(c, buffer);
    }
    if (withValue) checkedValue(fn, value);
    return { value, grad: out ? out : shapeLike(input, buffer as Float64Array) };
  };

  const grad = (input: Values, target: T, options?: unknown) => run(input, target, options, false).grad;
  const valueAndGrad = (input: Values, target: T, options?: unknown) => run(input, target, options, true);
  Object.defineProperty(f, 'name', { value: fn });
  return Object.assign(f, { grad, valueAndGrad, lossName: fn, defaults: defaultsOf(def.options) }) as unknown as Loss<T, OptionsOf<S> & ReductionOptions<string>, Defaults<S>>;
}
