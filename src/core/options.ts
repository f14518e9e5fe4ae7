import { describe, fail } from './errors';
import { toFlat, type Flat } from './tensor/flatten';
import type { Reduction, Values } from './tensor/types';

/**
 * Checks one option's value (undefined when absent) and returns it with its default applied.
 * `T` is what the loss reads, `In` what a caller may pass; `fallback` is the default, written
 * once here: the options type (`OptionsOf`), the defaults a loss reports and the reference
 * pages are all derived from the validators.
 */
export interface Validator<T, In = T> {
  (fn: string, name: string, value: unknown): T;
  /** The value an absent option takes. */
  readonly fallback: T;
  /** Type-level only: what a caller may pass. */
  readonly accepts?: In;
}

/** A loss's runtime options spec: one validator per option name. */
export type OptionSpec = Record<string, Validator<unknown, unknown>>;

/** The parsed options of a spec: each validator's result. */
export type Parsed<S> = { [K in keyof S]: S[K] extends Validator<infer T, unknown> ? T : never };

/**
 * The options a caller may pass for a spec: every key optional, each of the type its
 * validator accepts. Homomorphic, so each key keeps the doc comment written on the spec.
 */
export type OptionsOf<S> = { [K in keyof S]?: S[K] extends Validator<unknown, infer In> ? In : never };

/** The defaults of a spec, as `f.defaults` reports them. */
export type Defaults<S> = { readonly [K in keyof S]: S[K] extends Validator<infer T, unknown> ? T : never };

/** A validator from its check (which returns `fallback` for `undefined`) and its default. */
export function customOption<T, In = T>(fallback: T, check: (fn: string, name: string, value: unknown) => T): Validator<T, In> {
  return Object.assign(check, { fallback });
}

/**
 * Throws unless `options` is absent or a plain object (`{ ... }` or `Object.create(null)`):
 * a Map, an array, a class instance or a primitive is never read as options.
 */
export function assertPlainOptions(fn: string, options: unknown): Record<string, unknown> {
  if (options === undefined) return {};
  const proto: unknown = typeof options === 'object' && options !== null ? Object.getPrototypeOf(options) : undefined;
  if (proto !== Object.prototype && proto !== null) fail(fn, 'options', 'a plain object', describe(options));
  return options as Record<string, unknown>;
}

/**
 * Validates `options` against `spec`: only a plain object's own keys count; an unknown key
 * (`constructor`, a `__proto__` own key, a symbol) throws; each known key is checked by its
 * validator, and absent keys, or keys whose value is `undefined`, get their defaults.
 */
export function parseOptions<S extends OptionSpec>(fn: string, options: unknown, spec: S): Parsed<S> {
  const given = assertPlainOptions(fn, options);
  for (const key of Reflect.ownKeys(given)) {
    if (typeof key === 'symbol' || !Object.prototype.hasOwnProperty.call(spec, key)) {
      const names = Object.keys(spec).join(', ');
      fail(fn, `option ${typeof key === 'symbol' ? key.toString() : `"${key}"`}`, `one of ${names}`, 'an unknown option');
    }
  }
  const parsed: Record<string, unknown> = {};
  for (const key of Object.keys(spec)) {
    const value = Object.prototype.hasOwnProperty.call(given, key) ? given[key] : undefined;
    parsed[key] = spec[key]!(fn, `options.${key}`, value);
  }
  return parsed as Parsed<S>;
}

/** The defaults of a spec, frozen: what each option is when absent. */
export function defaultsOf<S extends OptionSpec>(spec: S): Defaults<S> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(spec)) out[key] = spec[key]!.fallback;
  return Object.freeze(out) as Defaults<S>;
}

/** `reduction`: one of `allowed`, `fallback` when absent. */
export function reduction<R extends string = Reduction>(allowed: readonly R[] = ['mean', 'sum', 'none'] as unknown as R[], fallback: R = allowed[0]!): Validator<R> {
  return customOption(fallback, (fn, name, value) => {
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || !allowed.includes(value as R)) fail(fn, name, `one of ${allowed.map((r) => `'${r}'`).join(', ')}`, describe(value));
    return value as R;
  });
}

/** Bounds of a number option. */
export interface NumberRule {
  /** Inclusive lower bound. */
  min?: number;
  /** Inclusive upper bound. */
  max?: number;
  /** Exclusive lower bound. */
  above?: number;
  /** Exclusive upper bound. */
  below?: number;
  integer?: boolean;
}

/** The int32 range: class indices and `ignoreIndex` are stored in Int32Array. */
export const INT32: NumberRule = { integer: true, min: -2147483648, max: 2147483647 };

function ruleText(rule: NumberRule): string {
  const parts: string[] = [];
  if (rule.min !== undefined) parts.push(`>= ${rule.min}`);
  if (rule.above !== undefined) parts.push(`> ${rule.above}`);
  if (rule.max !== undefined) parts.push(`<= ${rule.max}`);
  if (rule.below !== undefined) parts.push(`< ${rule.below}`);
  return `${rule.integer ? 'an integer' : 'a finite number'}${parts.length ? ' ' + parts.join(' and ') : ''}`;
}

/** Throws `fn: name must be <rule>, got <value>` unless `value` is a finite number obeying `rule`. */
export function checkNumber(fn: string, name: string, value: unknown, rule: NumberRule = {}): number {
  const v = value as number;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(v) &&
    (!rule.integer || Number.isInteger(v)) &&
    (rule.min === undefined || v >= rule.min) &&
    (rule.max === undefined || v <= rule.max) &&
    (rule.above === undefined || v > rule.above) &&
    (rule.below === undefined || v < rule.below);
  if (!ok) fail(fn, name, ruleText(rule), describe(value));
  return v;
}

/** A number option with a default. */
export function numberOption(fallback: number, rule: NumberRule = {}): Validator<number> {
  return customOption(fallback, (fn, name, value) => (value === undefined ? fallback : checkNumber(fn, name, value, rule)));
}

/** A number option without a default (`undefined` when absent). */
export function optionalNumber(rule: NumberRule = {}): Validator<number | undefined, number> {
  return customOption<number | undefined, number>(undefined, (fn, name, value) => (value === undefined ? undefined : checkNumber(fn, name, value, rule)));
}

/** A boolean option with a default. */
export function flag(fallback: boolean): Validator<boolean> {
  return customOption(fallback, (fn, name, value) => {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') fail(fn, name, 'true or false', describe(value));
    return value;
  });
}

/** What a caller may pass as a 1-D numeric option. */
export type VectorInput = readonly number[] | Float64Array | Float32Array;

/** A 1-D numeric option such as per-class `weight`; its length is checked by the loss. */
export function optionalVector(rule: NumberRule = {}): Validator<Float64Array | undefined, VectorInput> {
  return customOption<Float64Array | undefined, VectorInput>(undefined, (fn, name, value) => {
    if (value === undefined) return undefined;
    if (!Array.isArray(value) && !(value instanceof Float32Array) && !(value instanceof Float64Array)) {
      fail(fn, name, 'an array of numbers', describe(value));
    }
    const list = value as ArrayLike<number>;
    const out = new Float64Array(list.length);
    for (let i = 0; i < list.length; i++) out[i] = checkNumber(fn, `${name}[${i}]`, list[i], rule);
    return out;
  });
}

/**
 * An elementwise numeric option of any shape, such as BCE's `weight`, read flat
 * (like an input); the loss checks its shape against the input's.
 */
export function optionalValues(rule: NumberRule = {}): Validator<Flat | undefined, Values> {
  return customOption<Flat | undefined, Values>(undefined, (fn, name, value) => {
    if (value === undefined) return undefined;
    const flat = toFlat(fn, name, value as Values);
    for (let i = 0; i < flat.data.length; i++) checkNumber(fn, `${name}[${i}]`, flat.data[i], rule);
    return flat;
  });
}

/**
 * A numeric option given as a number or as values of any shape (read flat), such as BCE's
 * `weight` and `posWeight`: the loss broadcasts it against the input. Each value obeys `rule`.
 */
export function optionalNumberOrValues(rule: NumberRule = {}): Validator<number | Flat | undefined, number | Values> {
  const values = optionalValues(rule);
  return customOption<number | Flat | undefined, number | Values>(undefined, (fn, name, value) =>
    typeof value === 'number' ? checkNumber(fn, name, value, rule) : values(fn, name, value),
  );
}
