import { fail, showShape } from '../errors';
import { assertSameShape, toFlat, type ReadOptions } from '../tensor/flatten';
import type { FloatArray, Values } from '../tensor/types';

/** Several same-shaped batches of vectors, row-major: `[N, D]`, or `[D]` for one vector each. */
export interface Embeddings {
  /** One flat array per argument, in argument order. */
  readonly data: FloatArray[];
  readonly rows: number;
  readonly cols: number;
  /** The arguments were `[D]` (unbatched, as PyTorch's 1-D inputs). */
  readonly single: boolean;
}

/**
 * Reads `args` (named `names`) as vectors of one shape: `[N, D]` or `[D]`. The first argument's
 * shape is checked first, then each other argument against it; NaN and ±Infinity are rejected
 * as they are read (see toFlat; with `deferScan`, typed data is left to the loss's own pass).
 */
export function readEmbeddings(fn: string, names: readonly string[], args: readonly unknown[], read: ReadOptions = {}): Embeddings {
  const first = toFlat(fn, names[0]!, args[0] as Values, read);
  const { shape } = first;
  if (shape.length < 1 || shape.length > 2) fail(fn, `${names[0]} shape`, '[D] or [N, D] (one vector per row)', `shape ${showShape(shape)}`);
  const data = [first.data];
  for (let k = 1; k < names.length; k++) {
    const next = toFlat(fn, names[k]!, args[k] as Values, read);
    assertSameShape(fn, first, names[0]!, next, names[k]!);
    data.push(next.data);
  }
  const single = shape.length === 1;
  return { data, rows: single ? 1 : shape[0]!, cols: shape[shape.length - 1]!, single };
}
