import { describe, fail } from '../errors';

const TWO_POW_32 = 4294967296;

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
 * @example
 * const rng = new Random(42);
 * rng.uniform(); // the same number in every run
 * rng.shuffle([1, 2, 3, 4]); // a permutation, the same one in every run
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
    if (!(Number.isInteger(seed) && seed >= 0 && seed < TWO_POW_32)) {
      fail('Random', 'seed', 'an integer >= 0 and < 2^32', describe(seed));
    }
    let s = seed >>> 0;
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

  /** The next raw 32-bit output, an integer in [0, 2^32). One sfc32 round. */
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
   */
  uniform(low = 0, high = 1): number {
    const hi = this.nextUint32() >>> 11;
    const lo = this.nextUint32();
    const u = (hi * TWO_POW_32 + lo) / 9007199254740992; // / 2^53
    return low + (high - low) * u;
  }

  /**
   * A normal draw, mean `mean` (default 0) and standard deviation `std` (default 1), by
   * Box-Muller: with $u_1 \in (0, 1]$, $u_2 \in [0, 1)$,
   * $z_0 = \sqrt{-2\ln u_1}\cos 2\pi u_2$, $z_1 = \sqrt{-2\ln u_1}\sin 2\pi u_2$; $z_1$ is kept
   * for the next call. Returns $\mathrm{mean} + \mathrm{std}\cdot z$.
   */
  normal(mean = 0, std = 1): number {
    if (this.spare !== null) {
      const z = this.spare;
      this.spare = null;
      return mean + std * z;
    }
    const u1 = 1 - this.uniform(); // (0, 1]: log(u1) is finite
    const u2 = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u1));
    this.spare = r * Math.sin(2 * Math.PI * u2);
    return mean + std * r * Math.cos(2 * Math.PI * u2);
  }

  /**
   * A uniform integer in [0, n) for an integer 1 <= n <= 2^32, without modulo bias:
   * 32-bit outputs at or above $2^{32} - (2^{32} \bmod n)$ are redrawn.
   */
  int(n: number): number {
    if (!(Number.isInteger(n) && n >= 1 && n <= TWO_POW_32)) fail('Random.int', 'n', 'an integer >= 1 and <= 2^32', describe(n));
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let x = this.nextUint32();
    while (x >= limit) x = this.nextUint32();
    return x % n;
  }

  /**
   * Shuffles `array` in place (Fisher-Yates: for i from n-1 down to 1, swap a[i] with a[j],
   * j uniform in [0, i]) and returns it; every permutation is equally likely.
   */
  shuffle<A extends { length: number; [i: number]: unknown }>(array: A): A {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
    return array;
  }

  /** An independent copy in the same state: it yields the same sequence as this one from here on. */
  clone(): Random {
    const r = Object.create(Random.prototype) as Random;
    r.a = this.a;
    r.b = this.b;
    r.c = this.c;
    r.d = this.d;
    r.spare = this.spare;
    return r;
  }

  /** A new generator seeded from this one's next output (advancing this one by one step). */
  fork(): Random {
    return new Random(this.nextUint32());
  }
}
