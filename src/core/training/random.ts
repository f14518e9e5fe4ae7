import { describe, fail, overflow } from '../errors';
import { checkNumber } from '../options';
import { checkInteger } from './validate';

const TWO_POW_32 = 4294967296;

/** What `shuffle` permutes: an array without holes, or any typed array. */
export type Shuffleable =
  unknown[] | Int8Array | Uint8Array | Uint8ClampedArray | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

/**
 * A seeded pseudo-random generator: sfc32 (Chris Doty-Humphrey's Small Fast
 * Counting generator, 128-bit state, period at least 2^32) seeded from a 32-bit
 * integer through splitmix32. The same seed gives the same sequence on every
 * run, in Node and in the browser; nothing reads `Math.random`.
 *
 * - `uniform(low, high)`: $u \sim U[\mathrm{low}, \mathrm{high})$ with 53 random bits.
 * - `normal(mean, std)`: Box-Muller, $z = \sqrt{-2\ln u_1}\cos(2\pi u_2)$, caching the
 *   paired $\sqrt{-2\ln u_1}\sin(2\pi u_2)$ for the next call.
 * - `int(n)`: an unbiased integer in $[0, n)$ (rejection sampling).
 * - `shuffle(a)`: Fisher-Yates in place.
 *
 * Not PyTorch's Mersenne Twister: the same seed gives different numbers than
 * `torch.manual_seed`.
 *
 * Every argument is checked (a `LossInputError` names the method and the argument): numbers
 * must be finite numbers of the type the method documents, never strings or NaN.
 *
 * @example
 * new Random(42).nextUint32() // 1959603763
 * new Random(42).uniform() // 0.456255704963378
 * new Random(42).shuffle([1, 2, 3, 4]) // [2, 3, 1, 4]
 */
export class Random {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  /** The second Box-Muller value, returned by the next `normal()`. */
  private spare: number | null = null;

  /** @param seed an integer in [0, 2^32). */
  constructor(seed: number) {
    let s = checkInteger('Random', 'seed', seed, 0, TWO_POW_32 - 1, 'an integer >= 0 and < 2^32') >>> 0;
    // splitmix32 spreads the seed over the four state words
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = 1; // sfc32's counter
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /**
   * The next raw 32-bit output, an integer in [0, 2^32). One sfc32 round.
   *
   * @example
   * new Random(0).nextUint32() // 2899526011
   */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /**
   * A uniform float in [low, high): $\mathrm{low} + (\mathrm{high}-\mathrm{low})\,u$, where
   * $u = (2^{21} h + l) / 2^{53}$ from the top 21 bits of one output and 32 bits of the next.
   * Defaults `low = 0`, `high = 1`.
   *
   * `low` and `high` must be finite with `low <= high` and a finite `high - low` (as
   * `torch.Tensor.uniform_`). `low === high` returns `low` (still drawing, so the sequence
   * stays aligned). When rounding would make `low + (high - low) u` equal `high` (ranges a few
   * ulps wide, else u within 2^-52 of 1), u is redrawn: the result is always below `high`.
   *
   * @example
   * new Random(42).uniform(-1, 1) // -0.08748859007324405
   * new Random(0).uniform(3, 3) // 3
   */
  uniform(low = 0, high = 1): number {
    checkNumber('Random.uniform', 'low', low);
    checkNumber('Random.uniform', 'high', high);
    if (!(high >= low)) fail('Random.uniform', 'high', `a finite number >= low (${low})`, describe(high));
    const width = high - low;
    if (width - width !== 0) overflow('Random.uniform', `high - low (${high} - ${low})`, width);
    for (;;) {
      const x = low + width * this.unit();
      if (x < high || width === 0) return x;
    }
  }

  /** u in [0, 1) with 53 random bits: the top 21 bits of one output, then 32 of the next. */
  private unit(): number {
    const hi = this.nextUint32() >>> 11;
    const lo = this.nextUint32();
    return (hi * TWO_POW_32 + lo) / 9007199254740992; // / 2^53
  }

  /**
   * A normal draw, mean `mean` (default 0) and standard deviation `std` (default 1), by
   * Box-Muller: with $u_1 \in (0, 1]$, $u_2 \in [0, 1)$,
   * $z_0 = \sqrt{-2\ln u_1}\cos 2\pi u_2$, $z_1 = \sqrt{-2\ln u_1}\sin 2\pi u_2$; $z_1$ is kept
   * for the next call. Returns $\mathrm{mean} + \mathrm{std}\cdot z$.
   *
   * `mean` must be finite and `std` finite and >= 0 (as `torch.normal`); `std = 0` returns
   * `mean`. $|z| \le \sqrt{-2\ln 2^{-53}} \approx 8.6$, so only means and deviations near
   * 1e308 overflow, and that throws rather than returning ±Infinity.
   *
   * @example
   * new Random(42).normal() // -0.9855158792609839
   * new Random(42).normal(10, 0) // 10
   */
  normal(mean = 0, std = 1): number {
    checkNumber('Random.normal', 'mean', mean);
    checkNumber('Random.normal', 'std', std, { min: 0 });
    let z: number;
    if (this.spare !== null) {
      z = this.spare;
      this.spare = null;
    } else {
      const u1 = 1 - this.unit(); // (0, 1]: log(u1) is finite
      const u2 = this.unit();
      const r = Math.sqrt(-2 * Math.log(u1));
      this.spare = r * Math.sin(2 * Math.PI * u2);
      z = r * Math.cos(2 * Math.PI * u2);
    }
    const x = mean + std * z;
    if (x - x !== 0) overflow('Random.normal', `mean + std * z (mean ${mean}, std ${std}, z ${z})`, x);
    return x;
  }

  /**
   * A uniform integer in [0, n) for an integer 1 <= n <= 2^32, without modulo bias:
   * 32-bit outputs at or above $2^{32} - (2^{32} \bmod n)$ are redrawn.
   *
   * @example
   * new Random(42).int(6) // 1
   */
  int(n: number): number {
    checkInteger('Random.int', 'n', n, 1, TWO_POW_32, 'an integer >= 1 and <= 2^32');
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /**
   * Shuffles `array` in place (Fisher-Yates: for i from n-1 down to 1, swap a[i] with a[j],
   * j uniform in [0, i]) and returns it; every permutation is equally likely.
   *
   * `array` must be a writable array without holes (a hole would come back as an `undefined`
   * element) or a typed array, of length at most 2^32. Length 0 or 1 draws nothing.
   *
   * @example
   * Array.from(new Random(42).shuffle(Int32Array.from([1, 2, 3, 4]))) // [2, 3, 1, 4]
   */
  shuffle<A extends Shuffleable>(array: A): A {
    checkShuffleable(array);
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
    return array;
  }

  /**
   * An independent copy in the same state: it yields the same sequence as this one from here on.
   *
   * @example
   * const rng = new Random(42);
   * rng.clone().uniform() === rng.uniform() // true
   */
  clone(): Random {
    const r = Object.create(Random.prototype) as Random;
    r.a = this.a;
    r.b = this.b;
    r.c = this.c;
    r.d = this.d;
    r.spare = this.spare;
    return r;
  }

  /**
   * A new generator seeded from this one's next output (advancing this one by one step).
   *
   * @example
   * new Random(42).fork().nextUint32() === new Random(new Random(42).nextUint32()).nextUint32() // true
   */
  fork(): Random {
    return new Random(this.nextUint32());
  }
}

/** Throws unless `array` is something `shuffle` can permute in place. */
function checkShuffleable(array: unknown): void {
  const fn = 'Random.shuffle';
  const typed = ArrayBuffer.isView(array) && !(array instanceof DataView);
  if (!Array.isArray(array) && !typed) fail(fn, 'array', 'an array or a typed array', describe(array));
  const list = array as ArrayLike<unknown>;
  if (list.length > TWO_POW_32) fail(fn, 'array.length', 'at most 2^32', String(list.length));
  if (list.length > 1 && Object.isFrozen(list)) fail(fn, 'array', 'a writable array', 'a frozen array');
  if (!typed) {
    for (let i = 0; i < list.length; i++) if (!(i in list)) fail(fn, 'array', 'an array without holes', `a hole at index ${i}`);
  }
}
