/**
 * The accuracy fixtures, test/fixtures/accuracy/<export>.json, written by
 * scripts/fixtures/accuracy_fixtures.py (see that folder's README): per case the inputs (literal
 * or a formula), the exact reference (mpmath) as float64 pairs hi + lo, and PyTorch's float64
 * value and gradient on the same inputs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate, isFormula, type Generated } from './formula';

export const ACCURACY_GENERATOR = 'scripts/fixtures/accuracy_fixtures.py';

/** A float64 from a fixture: numbers as is, non-finite results written as strings. */
export type FixtureNumber = number | 'Infinity' | '-Infinity' | 'NaN';

export interface Reference {
  /** The nearest float64 to the exact result (a list for 'none' and vector helpers); null beyond float64's range. */
  value: (number | null) | (number | null)[];
  /** The nearest float64 to (exact - value). */
  valueLo: (number | null) | (number | null)[];
  /** Where `value` was sampled, for large vector results. */
  valueIndices?: number[];
  /**
   * The exact gradient d value / d input, flat row-major (of the sum of the items for 'none'); for a
   * loss of several arguments, d value / d each differentiable argument, flat, concatenated in
   * argument order (as `.grad`'s array of gradients flattens).
   */
  grad?: (number | null)[];
  gradLo?: (number | null)[];
  /** Where `grad` was sampled, for large inputs. */
  gradIndices?: number[];
  /** A loss of several arguments: the length of each differentiable argument's part of `grad`. */
  gradSizes?: number[];
}

export interface TorchResult {
  /** The PyTorch function, or 'Keras ... in torch ops' where only Keras / torchvision has the loss. */
  via: string;
  value: FixtureNumber | FixtureNumber[];
  grad?: FixtureNumber[];
}

export interface AccuracyCase {
  name: string;
  note: string;
  tags: string[];
  dtype: 'float64' | 'float32';
  /** The input (absent for a loss of several arguments: see `args`). */
  input?: unknown;
  target?: unknown;
  /** A loss of several arguments (gaussianNllLoss, tripletMarginLoss, ctcLoss ...): every positional argument, literal, in order. */
  args?: unknown[];
  /** Their names, as the export's `args` lists them. */
  argNames?: string[];
  /** A float32 case of several arguments: the arguments given as Float32Arrays (the float ones). */
  float32Args?: number[];
  options: Record<string, unknown>;
  /** [index, value] pairs of the generated input, for formula inputs. */
  check?: [number, number][];
  reference: Reference;
  torch: TorchResult | null;
}

export interface AccuracyFixture {
  export: string;
  generator: string;
  torch: string;
  mpmath: string;
  /** mpmath's working precision (decimal digits): for literal inputs and for formula inputs. */
  dps: number | { literal: number; formula: number };
  torchvision: string | null;
  cases: AccuracyCase[];
}

export function fixtureDir(root: string): string {
  return join(root, 'test', 'fixtures', 'accuracy');
}

/** Every fixture of the generator, sorted by export name. */
export function loadFixtures(dir: string): AccuracyFixture[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const fixture = JSON.parse(readFileSync(join(dir, f), 'utf8')) as AccuracyFixture;
      if (`${fixture.export}.json` !== f) throw new Error(`${join(dir, f)} holds the export ${fixture.export}: a fixture is named after its export`);
      return fixture;
    })
    .filter((f) => f.generator === ACCURACY_GENERATOR);
}

export function fixtureNumber(v: FixtureNumber | null): number {
  if (v === null) return NaN;
  if (typeof v === 'number') return v;
  return v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : NaN;
}

/** Literal values as they are; formulas generated (and checked against the fixture's `check`). */
export function materialize(v: unknown): unknown {
  return isFormula(v) ? generate(v) : v;
}

/** The case's input, generated when it is a formula; throws when the generated values differ from `check`. */
export function caseInput(c: AccuracyCase): unknown {
  if (!isFormula(c.input)) return c.input;
  const g = generate(c.input);
  for (const [i, v] of c.check ?? []) {
    if (!Object.is(g.data[i], v))
      throw new Error(`${c.name}: the formula gives input[${i}] = ${g.data[i]}, the fixture says ${v}; src/node/accuracy/formula.ts and the generator disagree`);
  }
  return g;
}

export function isGenerated(v: unknown): v is Generated {
  return typeof v === 'object' && v !== null && (v as Generated).data instanceof Float64Array && Array.isArray((v as Generated).shape);
}
