import { overflow } from '../errors';
import { assertSameShape, checkFinite, toFlat, type ReadOptions } from '../tensor/flatten';
import type { FloatArray, Values } from '../tensor/types';

/** An elementwise loss's input and target, same shape, read flat. */
export interface Pair {
  readonly x: FloatArray;
  readonly y: FloatArray;
  readonly size: number;
}

/**
 * Reads `input` and `target` flat and checks their shapes match. With `deferScan`, typed data is
 * not scanned for NaN here: the loss's kernel passes its total through `checkedTotal`.
 */
export function readPair(fn: string, input: Values, target: Values, read: ReadOptions = {}): Pair {
  const a = toFlat(fn, 'input', input, read);
  const b = toFlat(fn, 'target', target, read);
  assertSameShape(fn, a, 'input', b, 'target');
  return { x: a.data, y: b.data, size: a.data.length };
}

/**
 * A kernel's running total over every element of a pair read with `deferScan`: any NaN or
 * ±Infinity element makes it non-finite, and only then are input and target scanned, to throw
 * the message toFlat would have thrown. A non-finite total of finite elements overflowed:
 * that throws too (see `overflow`), so no loss returns Infinity.
 */
export function checkedTotal(fn: string, pair: Pair, total: number): number {
  if (total - total !== 0) {
    checkFinite(fn, 'input', pair.x);
    checkFinite(fn, 'target', pair.y);
    overflow(fn, 'the loss', total);
  }
  return total;
}
