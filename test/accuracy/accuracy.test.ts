import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as losslab from '../../src';
import { F32_GRAD_REL, F32_TINY_ABS, HELPERS, loadFixtures, REL_BOUND, scoreCase, TINY_ABS, TORCH_FLOOR } from '../../src/node/accuracy';

/**
 * The accuracy suite: every case of test/fixtures/accuracy/<export>.json (written by
 * scripts/fixtures/accuracy_fixtures.py: hard inputs, their exact results by mpmath, and PyTorch's
 * float64 results on the same inputs) is run through losslab here, by every call path
 * (`f`, `f.grad`, `f.valueAndGrad`; for float32 cases also with a Float32Array `out`), and must meet:
 *
 * - every element of every value and gradient within 1e-12 relative of the exact result wherever
 *   that result is a normal float64;
 * - where the exact result is 0 or subnormal, within 2^-1022 absolutely: below the normal range the
 *   spacing of float64 is the fixed 2^-1074, so there is no relative precision to promise, and a
 *   value that underflows on the way may be flushed to 0 (0 or a subnormal of the right size
 *   passes; 1e-300 for an exact 0 does not);
 * - never less accurate than PyTorch float64 on the same input: the case's worst relative error
 *   at most PyTorch's worst, or 2^-51 (2 ulp), whichever is larger;
 * - float32 cases (Float32Array inputs, exact reference on those float32 values): the value within
 *   1e-12 (it is accumulated in float64); a gradient written into a Float32Array within float32
 *   rounding of an accurate one, 2^-24 + 1e-12 relative (2^-126 absolutely where the exact
 *   gradient is below float32's normal range); a float64 gradient (no `out`) within 1e-12.
 *
 * The measure and the bounds live in src/node/accuracy/error.ts, shared with the docs' Accuracy page.
 */
const dir = join(__dirname, '..', 'fixtures', 'accuracy');
const fixtures = loadFixtures(dir);

describe('the bounds', () => {
  it('are the ones the docs state', () => {
    expect(REL_BOUND).toBe(1e-12);
    expect(TINY_ABS).toBe(2 ** -1022);
    expect(TORCH_FLOOR).toBe(2 ** -51);
    expect(F32_GRAD_REL).toBe(2 ** -24 + 1e-12);
    expect(F32_TINY_ABS).toBe(2 ** -126);
  });
});

/** The exports the accuracy promise was first stated for: every one needs a fixture. */
const STATED = [
  'mse',
  'mae',
  'rmse',
  'sse',
  'huber',
  'binaryCrossEntropy',
  'binaryCrossEntropyWithLogits',
  'crossEntropy',
  'nllLoss',
  'categoricalCrossEntropy',
  'sparseCategoricalCrossEntropy',
  'hinge',
  'squaredHinge',
  'categoricalHinge',
  'klDivergence',
  'diceLoss',
  'sigmoidFocalLoss',
  'focalLoss',
  'entropy',
  'softmax',
  'logSoftmax',
  'sigmoid',
  'logSumExp',
];

describe('the fixtures', () => {
  it('cover every export the promise was stated for', () => {
    const have = new Set(fixtures.map((f) => f.export));
    expect(STATED.filter((name) => !have.has(name))).toEqual([]);
  });

  it('cover every other export of the package that computes a loss or helper value', () => {
    const computing = Object.entries(losslab)
      .filter(([name, f]) => typeof f === 'function' && ('lossName' in f || HELPERS.has(name)))
      .map(([name]) => name);
    const have = new Set(fixtures.map((f) => f.export));
    expect(
      computing.filter((name) => !have.has(name)),
      'exports without test/fixtures/accuracy/<export>.json',
    ).toEqual([]);
  });

  it('give the losses of several arguments one gradient part per differentiable argument, in argument order', () => {
    for (const f of fixtures) {
      for (const c of f.cases.filter((k) => k.args)) {
        const fn = (losslab as Record<string, unknown>)[f.export] as { args: readonly string[]; gradientArgs: readonly string[] };
        expect(c.argNames, `${f.export} — ${c.name}`).toEqual([...fn.args]);
        const sizes = c.reference.gradSizes ?? [];
        expect(sizes.length, `${f.export} — ${c.name}`).toBe(fn.gradientArgs.length);
        expect(
          sizes.reduce((a, b) => a + b, 0),
          `${f.export} — ${c.name}`,
        ).toBe(c.reference.grad?.length);
      }
    }
  });

  it('hold cases with the options as losslab names them, and a float32 case for each fast path', () => {
    for (const f of fixtures) expect(f.cases.length, f.export).toBeGreaterThanOrEqual(3);
    const f32 = new Set(fixtures.filter((f) => f.cases.some((c) => c.dtype === 'float32')).map((f) => f.export));
    // every export with a float32 fast path (a WebAssembly kernel, or a reading path of its own)
    const fastPaths = [
      'mse',
      'mae',
      'huber',
      'smoothL1Loss',
      'logCosh',
      'binaryCrossEntropy',
      'binaryCrossEntropyWithLogits',
      'softMarginLoss',
      'multiLabelSoftMarginLoss',
      'sigmoidFocalLoss',
      'crossEntropy',
      'sparseCategoricalCrossEntropy',
      'polyLoss',
      'tripletMarginLoss',
      'ctcLoss',
    ];
    for (const name of fastPaths) expect(f32.has(name), name).toBe(true);
  });
});

for (const fixture of fixtures) {
  describe(`${fixture.export} against the exact result and PyTorch ${fixture.torch}`, () => {
    for (const c of fixture.cases) {
      it(`${fixture.export} — ${c.name}${c.dtype === 'float32' ? ' (Float32Array)' : ''} meets every bound`, () => {
        const score = scoreCase(fixture.export, c);
        expect(score.paths.length, 'call paths run').toBeGreaterThan(0);
        expect(score.failures, `${fixture.export} — ${c.name}`).toEqual([]);
      });
    }
  });
}
