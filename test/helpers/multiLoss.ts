/**
 * Helpers for the tests of the losses of several arguments (ranking, embedding, boxes): central
 * finite differences of any argument, and the `exact` values (mpmath) that
 * scripts/fixtures/torch_multi_fixtures.py writes beside PyTorch's in test/fixtures/torch/.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { flatten } from './close';

type AnyLoss = (...args: unknown[]) => unknown;

/** (f(x + h e_i) - f(x - h e_i)) / 2h for every element i of argument `k` (a nested array), f summed. */
export function finiteDifference(f: AnyLoss, args: unknown[], k: number, options: object = {}, h = 1e-6): number[] {
  const base = args[k] as number[][] | number[];
  const nested = Array.isArray(base[0]);
  const flat = flatten(base);
  const cols = nested ? (base[0] as number[]).length : flat.length;
  const at = (values: number[]) => (nested ? Array.from({ length: values.length / cols }, (_, r) => values.slice(r * cols, (r + 1) * cols)) : values);
  const total = (values: number[]) => {
    const a = args.slice();
    a[k] = at(values);
    return flatten(f(...a, options)).reduce((s, v) => s + v, 0);
  };
  return flat.map((_, i) => {
    const up = flat.slice();
    const down = flat.slice();
    up[i]! += h;
    down[i]! -= h;
    return (total(up) - total(down)) / (2 * h);
  });
}

/** Asserts `grad` (flattened) is within `tol` of the central differences, absolute plus relative. */
export function expectGradientMatches(grad: unknown, numeric: number[], tol = 1e-6): void {
  const g = flatten(grad);
  expect(g.length).toBe(numeric.length);
  g.forEach((v, i) => {
    const bound = tol * (1 + Math.abs(numeric[i]!));
    if (!(Math.abs(v - numeric[i]!) <= bound)) expect.fail(`element ${i}: analytic ${v}, finite differences ${numeric[i]}`);
  });
}

export interface ExactCase {
  name: string;
  args: unknown[];
  options: Record<string, unknown>;
  /** PyTorch's float64 value. */
  value: number | number[];
  /** The exact value (mpmath, 60 digits) rounded to float64. */
  exact: number | number[];
}

/** The cases of test/fixtures/torch/<loss>.json, each with PyTorch's value and the exact one. */
export function exactCases(loss: string): ExactCase[] {
  const file = join(__dirname, '..', 'fixtures', 'torch', `${loss}.json`);
  const fixture = JSON.parse(readFileSync(file, 'utf8')) as { generator: string; cases: ExactCase[] };
  expect(fixture.generator).toBe('scripts/fixtures/torch_multi_fixtures.py');
  return fixture.cases;
}

/** The relative error of `got` against `exact` (absolute where exact is 0). */
export function relativeError(got: number, exact: number): number {
  return exact === 0 ? Math.abs(got) : Math.abs(got - exact) / Math.abs(exact);
}

/**
 * Every item of `loss` on every fixture case is within `tol` (relative) of the exact value and
 * never further from it than PyTorch float64 (plus 2 ulp, for the cases both get right).
 */
export function expectExact(f: AnyLoss, loss: string, tol: number): { worst: number; worstTorch: number } {
  let worst = 0;
  let worstTorch = 0;
  for (const c of exactCases(loss)) {
    const got = flatten(f(...c.args, c.options));
    const exact = flatten(c.exact);
    const torch = flatten(c.value);
    got.forEach((v, i) => {
      const err = relativeError(v, exact[i]!);
      const torchErr = relativeError(torch[i]!, exact[i]!);
      worst = Math.max(worst, err);
      worstTorch = Math.max(worstTorch, torchErr);
      expect(err, `${loss} — ${c.name} [${i}]: ${v} vs exact ${exact[i]}`).toBeLessThanOrEqual(tol);
      expect(err, `${loss} — ${c.name} [${i}]: no worse than PyTorch float64`).toBeLessThanOrEqual(torchErr + 4.5e-16);
    });
  }
  return { worst, worstTorch };
}
