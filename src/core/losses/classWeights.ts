import { fail } from '../errors';

/** Checks a per-class `weight` option has one entry per class; absent means all ones. */
export function classWeights(fn: string, weight: Float64Array | undefined, classes: number): Float64Array {
  if (weight === undefined) return new Float64Array(classes).fill(1);
  if (weight.length !== classes) fail(fn, 'options.weight', `${classes} values, one per class`, `${weight.length}`);
  return weight;
}
