import { assertSameShape, checkNumbers, toFlat, type ReadOptions } from '../tensor/flatten';
import type { FloatArray, Values } from '../tensor/types';

/** An elementwise loss's input and target, same shape, read flat. */
export interface Pair {
  readonly x: FloatArray;
  readonly y: FloatArray;
  readonly size: number;
}

/**
 * Reads `input` and `target` flat and checks their shapes match. With `deferNaN`, typed data is
 * not scanned for NaN here: the loss's kernel passes its total through `checkedTotal`.
 */
export function readPair(fn: string, input: Values, target: Values, read: ReadOptions = {}): Pair {
  const a = toFlat(fn, 'input', input, read);
  const b = toFlat(fn, 'target', target, read);
  assertSameShape(fn, a, 'input', b, 'target');
  return { x: a.data, y: b.data, size: a.data.length };
}

/**
 * A kernel's running total over every element of a pair read with `deferNaN`: any NaN element
 * makes it NaN, and only then are input and target scanned, to throw the message toFlat would
 * have thrown. A NaN total without a NaN element (±Infinity cancelling) is returned as is.
 */
export function checkedTotal(fn: string, pair: Pair, total: number): number {
  if (total !== total) {
    checkNumbers(fn, 'input', pair.x);
    checkNumbers(fn, 'target', pair.y);
  }
  return total;
}
