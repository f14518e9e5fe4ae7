import { describe, fail, overflow } from '../errors';
import { assertPlainOptions, defaultsOf, parseOptions, type Defaults, type OptionSpec, type OptionsOf, type Parsed } from '../options';
import { firstNonFinite } from '../tensor/finite';
import { memoryOf, overlaps } from '../tensor/memory';
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
  /** The positional arguments' names, `['input', 'target']`. */
  readonly args: readonly string[];
  /** The arguments `grad` differentiates with respect to, `['input']`. */
  readonly gradientArgs: readonly string[];
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
  /**
   * `true` for a call whose gradients need no scan: the loss throws itself on a gradient that is
   * not finite as stored (after the rounding to a Float32Array `out`), as elementwiseLoss's loop
   * does in its sum, or a bound shows none can be (crossEntropy's class-index rows: |g| <= 1).
   * Otherwise defineLoss scans the written gradients (firstNonFinite, about 0.3 ns an element)
   * and names the first that is not: a gradient finite in float64 that a Float32Array rounds to
   * ±Infinity never comes back silently.
   */
  gradientsChecked?: (c: C) => boolean;
}

/**
 * A loss of several arguments (`ctcLoss`, `marginRankingLoss`, `tripletMarginLoss`, ...): the
 * same contract as `Loss`, with the positional arguments `A` before the options. Its gradient is
 * d loss / d each differentiable argument, shaped like it: one gradient when one argument is
 * differentiable, else an array in argument order (`out` likewise: a buffer, or an array of them).
 */
export interface MultiLoss<A extends readonly unknown[], O extends ReductionOptions<string>, G, D = Readonly<Record<string, unknown>>> {
  (...args: [...A, (O & { reduction?: Exclude<O['reduction'], 'none'> })?]): number;
  (...args: [...A, O & { reduction: 'none' }]): Float64Array;
  (...args: [...A, O?]): number | Float64Array;
  grad(...args: [...A, (O & { out?: OutFor<G> })?]): G;
  valueAndGrad(...args: [...A, (O & { out?: OutFor<G> })?]): ValueAndGrad<G>;
  readonly lossName: string;
  readonly defaults: D;
  /** The positional arguments' names, in order. */
  readonly args: readonly string[];
  /** The arguments `grad` differentiates with respect to, in order. */
  readonly gradientArgs: readonly string[];
}

/** `out` for a gradient type: an array of buffers when there are several gradients (a tuple), else one buffer. */
export type OutFor<G> = [G] extends [readonly [unknown, unknown, ...unknown[]]] ? FloatArray[] : FloatArray;

/** What a loss of several arguments provides: `defineLoss`'s definition over an argument list. */
export interface MultiLossDefinition<S extends OptionSpec, C> {
  name: string;
  options: S;
  /** The positional arguments' names, in order (they name the arguments in error messages). */
  args: readonly string[];
  /** Indices into `args` of the arguments that get a gradient, in order. */
  differentiable: readonly number[];
  /** Validates and reads the arguments once. */
  prepare(args: readonly unknown[], options: Parsed<S>): C;
  /** The element count of each differentiable argument, in order. */
  sizes(c: C): readonly number[];
  value(c: C): number | Float64Array;
  /** Writes d loss / d each differentiable argument into `outs` (flat, row-major). */
  grad(c: C, outs: FloatArray[]): void;
  valueAndGrad?(c: C, outs: FloatArray[]): number | Float64Array;
  /** As `LossDefinition.writesEveryElement`. */
  writesEveryElement?: boolean;
  /** As `LossDefinition.gradientsChecked`. */
  gradientsChecked?: (c: C) => boolean;
}

function isFloatArray(x: unknown): x is FloatArray {
  return x instanceof Float64Array || x instanceof Float32Array;
}

/**
 * Splits the `out` buffers off the loss's own options (`out: undefined` counts as absent) and
 * checks them: typed float arrays, one per gradient, sharing memory with no argument, no other
 * option and no other `out`.
 */
function takeOuts(fn: string, options: unknown, gradients: number, args: readonly [string, unknown][]): { outs: FloatArray[] | null; rest: Record<string, unknown> } {
  const given = assertPlainOptions(fn, options);
  if (!Object.prototype.hasOwnProperty.call(given, 'out')) return { outs: null, rest: given };
  const { out, ...rest } = given;
  if (out === undefined) return { outs: null, rest };
  const several = gradients > 1;
  if (several ? !(Array.isArray(out) && out.length === gradients && out.every(isFloatArray)) : !isFloatArray(out)) {
    fail(fn, 'options.out', several ? `an array of ${gradients} Float32Array or Float64Array buffers, one per gradient` : 'a Float32Array or Float64Array', describe(out));
  }
  const outs = several ? (out as FloatArray[]) : [out as FloatArray];
  const others: [string, unknown][] = [...args, ...Object.entries(rest).map(([k, v]) => [`options.${k}`, v] as [string, unknown])];
  outs.forEach((o, k) => {
    const label = several ? `options.out[${k}]` : 'options.out';
    for (const [name, arg] of others) {
      const memory = memoryOf(arg);
      if (memory && overlaps(o, memory)) fail(fn, label, `a buffer that shares no memory with ${name}`, `a ${o.constructor.name} overlapping ${name}`);
    }
    for (let j = 0; j < k; j++) if (overlaps(o, outs[j]!)) fail(fn, label, `a buffer that shares no memory with options.out[${j}]`, `a ${o.constructor.name} overlapping it`);
  });
  return { outs, rest };
}

/** Throws unless each `out` has its argument's element count. */
function checkOutLengths(fn: string, outs: FloatArray[], sizes: readonly number[], names: readonly string[]): void {
  outs.forEach((o, k) => {
    const label = outs.length > 1 ? `options.out[${k}].length` : 'options.out.length';
    if (o.length !== sizes[k]) fail(fn, label, `${sizes[k]}, the ${names[k]}'s element count`, String(o.length));
  });
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

/**
 * Throws unless every gradient written is finite, naming the first that is not: `the gradient
 * at input[3] must be finite, got Infinity: it overflows float32 (options.out's type) ...`.
 */
export function checkedGradient(fn: string, gradient: FloatArray, arg: string): void {
  const i = firstNonFinite(gradient);
  if (i >= 0) overflow(fn, `the gradient at ${arg}[${i}]`, gradient[i]!, gradient instanceof Float32Array ? 'float32' : 'float64');
}

/** Builds the public function of a loss of several arguments from its definition. */
export function defineMultiLoss<A extends readonly unknown[], G, S extends OptionSpec, C>(
  def: MultiLossDefinition<S, C>,
): MultiLoss<A, OptionsOf<S> & ReductionOptions<string>, G, Defaults<S>> {
  const fn = def.name;
  const arity = def.args.length;
  const split = (all: unknown[]) => ({ args: all.slice(0, arity), options: all[arity] });
  const f = (...all: unknown[]) => {
    const { args, options } = split(all);
    return checkedValue(fn, def.value(def.prepare(args, parseOptions(fn, options, def.options))));
  };

  const run = (all: unknown[], withValue: boolean) => {
    const { args, options } = split(all);
    const { outs, rest } = takeOuts(
      fn,
      options,
      def.differentiable.length,
      def.args.map((name, i) => [name, args[i]]),
    );
    const c = def.prepare(args, parseOptions(fn, rest, def.options));
    const sizes = def.sizes(c);
    const names = def.differentiable.map((i) => def.args[i]!);
    if (outs) checkOutLengths(fn, outs, sizes, names);
    const buffers = outs ?? sizes.map((n) => new Float64Array(n));
    if (outs && !def.writesEveryElement) for (const o of outs) o.fill(0);
    let value: number | Float64Array = 0;
    if (withValue && def.valueAndGrad) value = def.valueAndGrad(c, buffers);
    else {
      if (withValue) value = def.value(c);
      def.grad(c, buffers);
    }
    if (withValue) checkedValue(fn, value);
    if (!def.gradientsChecked?.(c)) buffers.forEach((b, k) => checkedGradient(fn, b, names[k]!));
    const grads = outs ?? buffers.map((b, k) => shapeLike(args[def.differentiable[k]!] as Values, b as Float64Array));
    return { value, grad: (grads.length > 1 ? grads : grads[0]) as G };
  };

  const grad = (...all: unknown[]) => run(all, false).grad;
  const valueAndGrad = (...all: unknown[]) => run(all, true);
  Object.defineProperty(f, 'name', { value: fn });
  const facts = {
    lossName: fn,
    defaults: defaultsOf(def.options),
    args: Object.freeze(def.args.slice()),
    gradientArgs: Object.freeze(def.differentiable.map((i) => def.args[i]!)),
  };
  return Object.assign(f, { grad, valueAndGrad }, facts) as unknown as MultiLoss<A, OptionsOf<S> & ReductionOptions<string>, G, Defaults<S>>;
}

/** Builds the public function of a loss `f(input, target, options?)` from its definition. */
export function defineLoss<T, S extends OptionSpec, C extends { size: number }>(def: LossDefinition<T, S, C>): Loss<T, OptionsOf<S> & ReductionOptions<string>, Defaults<S>> {
  const multi = defineMultiLoss<[Values, T], GradOf<Values>, S, C>({
    name: def.name,
    options: def.options,
    args: ['input', 'target'],
    differentiable: [0],
    prepare: (args, o) => def.prepare(args[0] as Values, args[1] as T, o),
    sizes: (c) => [c.size],
    value: (c) => def.value(c),
    grad: (c, outs) => def.grad(c, outs[0]!),
    ...(def.valueAndGrad ? { valueAndGrad: (c: C, outs: FloatArray[]) => def.valueAndGrad!(c, outs[0]!) } : {}),
    writesEveryElement: def.writesEveryElement === true,
    ...(def.gradientsChecked ? { gradientsChecked: def.gradientsChecked } : {}),
  });
  return multi;
}
