import { expect } from 'vitest';

/** Asserts |actual - expected| <= tol * max(1, |expected|), elementwise for arrays. */
export function expectClose(actual: unknown, expected: unknown, tol = 1e-12): void {
  const a = flatten(actual);
  const e = flatten(expected);
  expect(a.length, 'length').toBe(e.length);
  for (let i = 0; i < a.length; i++) {
    const err = Math.abs(a[i]! - e[i]!);
    const bound = tol * Math.max(1, Math.abs(e[i]!));
    if (!(err <= bound) && !(a[i] === e[i])) {
      expect.fail(`element ${i}: got ${a[i]}, expected ${e[i]} (|diff| ${err} > ${bound})`);
    }
  }
}

/** Numbers out of a number, an array, nested arrays, a typed array or a { data } tensor. */
export function flatten(x: unknown): number[] {
  if (typeof x === 'number') return [x];
  if (ArrayBuffer.isView(x)) return Array.from(x as Float64Array);
  if (Array.isArray(x)) return x.flatMap((v) => flatten(v));
  if (x && typeof x === 'object' && 'data' in x) return flatten(x.data);
  throw new Error(`cannot flatten ${String(x)}`);
}
