import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as losslab from '../../src';
import { expectClose } from '../helpers/close';

/**
 * Every case of every committed PyTorch loss fixture (test/fixtures/torch/<export>.json, written
 * by the loss generators in scripts/fixtures/) against the losslab export of the same name:
 * value and gradient to a relative 1e-9. A two-argument case has `input` and `target`; a case of
 * a loss of several arguments has `args` (positional, options apart) and, where the loss has
 * several differentiable arguments, `grads` (one per such argument, in order).
 */
const TOL = 1e-9;
const dir = join(__dirname, '..', 'fixtures', 'torch');

interface Case {
  name: string;
  input?: unknown;
  target?: unknown;
  args?: unknown[];
  grads?: unknown[];
  options?: Record<string, unknown>;
  value: number | number[] | number[][];
  grad?: number[] | number[][];
}

interface Fixture {
  generator: string;
  loss: string;
  torch: string;
  cases: Case[];
}

type AnyFn = ((...args: unknown[]) => unknown) & { grad?: (...args: unknown[]) => unknown };

/** The loss fixtures; the folder also holds the optimizer generator's files (optim_*.json). */
const OPTIMIZER_GENERATOR = 'scripts/fixtures/torch_optim_fixtures.py';
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => ({ file, fixture: JSON.parse(readFileSync(join(dir, file), 'utf8')) as Fixture }))
  .filter(({ fixture }) => fixture.generator !== OPTIMIZER_GENERATOR);

/** The export named by a fixture; a missing export fails the case instead of skipping it. */
function exported(name: string): AnyFn {
  const f = (losslab as Record<string, unknown>)[name];
  expect(typeof f, `losslab has no export "${name}", yet test/fixtures/torch/${name}.json expects one`).toBe('function');
  return f as AnyFn;
}

it('finds the PyTorch loss fixtures', () => {
  expect(fixtures.length).toBeGreaterThan(20);
});

for (const { file, fixture } of fixtures) {
  describe(`${fixture.loss} against PyTorch ${fixture.torch}`, () => {
    it(`${fixture.loss} — the fixture file is named after its export`, () => {
      expect(file).toBe(`${fixture.loss}.json`);
      expect(fixture.cases.length).toBeGreaterThan(0);
    });

    for (const c of fixture.cases) {
      it(`${fixture.loss} — ${c.name}`, () => {
        const f = exported(fixture.loss);
        if (c.args) {
          expectClose(f(...c.args, c.options), c.value, TOL);
          expect(typeof f.grad, `${fixture.loss}.grad`).toBe('function');
          const g = f.grad!(...c.args, c.options);
          if (c.grads) {
            expect(Array.isArray(g) && g.length === c.grads.length, 'one gradient per differentiable argument').toBe(true);
            c.grads.forEach((expected, k) => expectClose((g as unknown[])[k], expected, TOL));
          } else expectClose(g, c.grad, TOL);
          return;
        }
        if (!('target' in c)) {
          expectClose(f(c.input), c.value, TOL);
          return;
        }
        expectClose(f(c.input, c.target, c.options), c.value, TOL);
        expect(typeof f.grad, `${fixture.loss}.grad`).toBe('function');
        expectClose(f.grad!(c.input, c.target, c.options), c.grad, TOL);
      });
    }
  });
}
