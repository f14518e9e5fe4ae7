import { assertSameShape, toFlat } from '../tensor/flatten';
import type { FloatArray, Values } from '../tensor/types';

/** An elementwise loss's input and target, same shape, read flat. */
export interface Pair {
  readonly x: FloatArray;
  readonly y: FloatArray;
  readonly size: number;
}

/** Reads `input` and `target` flat and checks their shapes match. */
export function readPair(fn: string, input: Values, target: Values): Pair {
  const a = toFlat(fn, 'input', input);
  const b = toFlat(fn, 'target', target);
  assertSameShape(fn, a, 'input', b, 'target');
  return { x: a.data, y: b.data, size: a.data.length };
}

