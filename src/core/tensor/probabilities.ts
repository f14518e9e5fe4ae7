import { fail } from '../errors';

/** Throws unless every value of `data` lies in [0, 1] (a probability). */
export function assertProbabilities(fn: string, arg: string, data: ArrayLike<number>): void {
  for (let i = 0; i < data.length; i++) {
    const p = data[i]!;
    if (!(p >= 0 && p <= 1)) fail(fn, `${arg}[${i}]`, 'a probability in [0, 1]', String(p));
  }
}
