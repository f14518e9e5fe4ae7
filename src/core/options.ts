import { describe, fail } from './errors';
import { toFlat, type Flat } from './tensor/flatten';
import type { Reduction, Values } from './tensor/types';

/** Checks one option's value (undefined when absent) and returns it with its default applied. */
export type Validator<T> = (fn: string, name: string, value: unknown) => T;

/** The parsed options of a spec: each validator's result. */
export type Parsed<S> = { [K in keyof S]: S[K] extends Validator<infer T> ? T : never };

/**
 * Validates `options` against `spec`: unknown keys throw, each known key is
 * checked by its validator, and absent keys get their defaults.
 */
export function parseOptions<S extends Record<string, Validator<unknown>>>(fn: string, options: unknown, spec: S): Parsed<S> {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    fail(fn, 'options', 'an object', describe(options));
  }
  const given = options as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(key in spec)) fail(fn, `option "${key}"`, `one of ${Object.keys(spec).join(', ')}`, 'an unknown option');
  }
  const parsed: Record<string, unknown> = {};
  for (const key of Object.keys(spec)) parsed[key] = spec[key]!(fn, `options.${key}`, given[key]);
  return parsed as Parsed<S>;
}

/** `reduction`: one of `allowed`, `fallback` when absent. */
export function reduction<R extends string = Reduction>(
  allowed: readonly R[] = ['mean', 'sum', 'none'] as unknown as R[],
  fallback: R = allowed[0]!,
): Validator<R> {
  return (fn, name, value) => {
    if (value === undefined) return fallback;
    if (!allowed.includes(value as R)) fail(fn, name, `one of ${allowed.map((r) => `'${r}'`).join(', ')}`, describe(value));
    return value as R;
  };
}

interface NumberRule {
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

function ruleText(rule: NumberRule): string {
  const parts: string[] = [];
  if (rule.min !== undefined) parts.push(`>= ${rule.min}`);
  if (rule.above !== undefined) parts.push(`> ${rule.above}`);
  if (rule.max !== undefined) parts.push(`<= ${rule.max}`);
  if (rule.below !== undefined) parts.push(`< ${rule.below}`);
  return `${rule.integer ? 'an integer' : 'a finite number'}${parts.length ? ' ' + parts.join(' and ') : ''}`;
}

function checkNumber(fn: string, name: string, value: unknown, rule: NumberRule): number {
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
  return (fn, name, value) => (value === undefined ? fallback : checkNumber(fn, name, value, rule));
}

/** A number option without a default (`undefined` when absent). */
export function optionalNumber(rule: NumberRule = {}): Validator<number | undefined> {
  return (fn, name, value) => (value === undefined ? undefined : checkNumber(fn, name, value, rule));
}

/** A boolean option with a default. */
export function flag(fallback: boolean): Validator<boolean> {
  return (fn, name, value) => {
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') fail(fn, name, 'true or false', describe(value));
    return value;
  };
}

/** A 1-D numeric option such as per-class `weight`; its length is checked by the loss. */
export function optionalVector(rule: NumberRule = {}): Validator<Float64Array | undefined> {
  return (fn, name, value) => {
    if (value === undefined) return undefined;
    if (!Array.isArray(value) && !(value instanceof Float32Array) && !(value instanceof Float64Array)) {
      fail(fn, name, 'an array of numbers', describe(value));
    }
    const list = value as ArrayLike<number>;
    const out = new Float64Array(list.length);
    for (let i = 0; i < list.length; i++) out[i] = checkNumber(fn, `${name}[${i}]`, list[i], rule);
    return out;
  };
}

/**
 * An elementwise numeric option of any shape, such as BCE's `weight`, read flat
 * (like an input); the loss checks its shape against the input's.
 */
export function optionalValues(rule: NumberRule = {}): Validator<Flat | undefined> {
  return (fn, name, value) => {
    if (value === undefined) return undefined;
    const flat = toFlat(fn, name, value as Values);
    for (let i = 0; i < flat.data.length; i++) checkNumber(fn, `${name}[${i}]`, flat.data[i], rule);
    return flat;
  };
}
