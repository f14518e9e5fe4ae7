import { assertSameShape, toFlat, type ReadOptions } from '../tensor/flatten';
import type { FloatArray, Values } from '../tensor/types';

/** An elementwise loss's input and target, same shape, read flat. */
export interface Pair {
  readonly x: FloatArray;
  readonly y: FloatArray;
  readonly size: number;
}

/**
 * Reads `input` and `target` flat and checks their shapes match. With `deferScan`, typed data is
 * not scanned for NaN here: the loss's kernel sees it in its total (see elementwise.ts).
 */
export function readPair(fn: string, input: Values, target: Values, read: ReadOptions = {}): Pair {
  const a = toFlat(fn, 'input', input, read);
  const b = toFlat(fn, 'target', target, read);
  assertSameShape(fn, a, 'input', b, 'target');
  return { x: a.data, y: b.data, size: a.data.length };
}
