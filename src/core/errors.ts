/**
 * The one error type losslab throws for bad input. Its message always reads
 * `fn: what must be expected, got what came`, e.g.
 * `mse: target shape [3] must match input shape [2]`.
 */
export class LossInputError extends RangeError {
  override name = 'LossInputError';
  constructor(
    /** The public function that rejected its input, e.g. `crossEntropy`. */
    readonly fn: string,
    message: string,
  ) {
    super(`${fn}: ${message}`);
  }
}

/** Throws `fn: subject must be expected, got actual`. */
export function fail(fn: string, subject: string, expected: string, actual: string): never {
  throw new LossInputError(fn, `${subject} must be ${expected}, got ${actual}`);
}

/**
 * Throws `fn: <what> must be finite, got <value>: it overflows <type> for these (finite)
 * arguments`: every argument was finite, yet the result is not (e.g. `mse([1e200], [-1e200])`).
 * Never returned as Infinity. `type` is where it overflowed: float64 (the default: the
 * computation) or float32 (a gradient stored into a caller's Float32Array `out`).
 */
export function overflow(fn: string, what: string, value: number, type: 'float64' | 'float32' = 'float64'): never {
  const where = type === 'float32' ? "float32 (options.out's type)" : 'float64';
  throw new LossInputError(fn, `${what} must be finite, got ${describe(value)}: it overflows ${where} for these (finite) arguments`);
}

/** A short, readable rendering of any value for an error message. */
export function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `${/^Int/.test(value.constructor.name) ? 'an' : 'a'} ${value.constructor.name}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** `[2,3]` for a shape. */
export function showShape(shape: readonly number[]): string {
  return `[${shape.join(',')}]`;
}
