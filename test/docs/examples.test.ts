/**
 * Every `@example` in src/core's doc comments, and the README's `## Use` block, run against the
 * package: each `expression // value` line must evaluate to the value printed (numbers as the same
 * double, arrays and typed arrays item by item, objects key by key). See examples.ts.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as losslab from '../../src/index';
import { assertionsOf, describe as print, docExamples, mismatch, parsePrinted, readmeExample, runExample, splitComment, type Example } from './examples';

const root = path.resolve(__dirname, '../..');
const scope = losslab as unknown as Record<string, unknown>;

/** Runs the example and expects every printed value; reports every wrong line, not only the first. */
function expectPrintedValues(example: Example): void {
  const assertions = assertionsOf(example);
  expect(assertions.length, `${example.where}: no line prints its value (\`expression // value\`)`).toBeGreaterThan(0);
  const run = runExample(example, scope);
  if (run.error) {
    const { line, error } = run.error;
    expect.fail(`${example.where}: line ${line + 1} (${example.lines[line] ?? ''}) threw ${String(error)}\n\n${example.lines.join('\n')}`);
  }
  for (const a of assertions) {
    const actual = run.values.get(a.line);
    const wrong = mismatch(actual, a.expected);
    // a wrong line fails as a diff of the line as printed and as the code returns it
    if (wrong) expect.soft(`${a.code} // ${print(actual)}`, `${example.where}: ${wrong}`).toBe(`${a.code} // ${a.printed}`);
  }
}

describe('the @example of every doc comment in src/core', () => {
  const examples = docExamples(root, 'src/core');

  it('exist for every exported function and class but the error type (CONTRIBUTING: every public function has one)', () => {
    const documented = new Set(examples.map((e) => e.where.split(': ')[1]!.split('.')[0]));
    const exported = Object.entries(scope).filter(([, v]) => typeof v === 'function' && !(v.prototype instanceof Error));
    expect(exported.length).toBeGreaterThan(30);
    expect(exported.map(([name]) => name).filter((name) => !documented.has(name))).toEqual([]);
  });

  it.each(examples.map((e) => [e.where, e] as const))('%s prints what the code returns', (_where, example) => {
    expectPrintedValues(example);
  });
});

it("the README's ## Use block prints what the code returns", () => {
  expectPrintedValues(readmeExample(root));
});

describe('reading an example', () => {
  it('takes a value comment as a literal: numbers, arrays, objects, typed arrays, prose after it', () => {
    expect(parsePrinted('2.2')).toEqual({ value: 2.2 });
    expect(parsePrinted('-4.248354255291589e-18')).toEqual({ value: -4.248354255291589e-18 });
    expect(parsePrinted('[[0.5, -0.5]]')).toEqual({ value: [[0.5, -0.5]] });
    expect(parsePrinted('{ value: 1.5, grad: [0.25, 0.75] }')).toEqual({ value: { value: 1.5, grad: [0.25, 0.75] } });
    expect(parsePrinted('Float64Array [0.6931471805599453, 0]')).toEqual({ value: [0.6931471805599453, 0], typed: 'Float64Array' });
    expect(parsePrinted('1.7917594692280547 (ln 6, a fair die)')).toEqual({ value: 1.7917594692280547 });
    expect(parsePrinted('0.2876820724517809, -ln(3/4)')).toEqual({ value: 0.2876820724517809 });
    expect(parsePrinted('[1, 2]       d mse / d input')).toEqual({ value: [1, 2] });
    expect(parsePrinted('true')).toEqual({ value: true });
  });

  it('takes any other comment as prose', () => {
    for (const prose of ['F.cross_entropy(logits, target)', 'per-sample Float64Array', '(softmax(logits) - onehot) / N', '2x faster', 'T = 2 frames']) {
      expect(parsePrinted(prose), prose).toBeUndefined();
    }
  });

  it('splits a line at its comment, not at // inside a string or a regular expression', () => {
    expect(splitComment("f('a // b') // 1")).toEqual({ code: "f('a // b')", comment: '1' });
    expect(splitComment('g(/x\\/\\//.test(s)) // true')).toEqual({ code: 'g(/x\\/\\//.test(s))', comment: 'true' });
    expect(splitComment('h(1);')).toEqual({ code: 'h(1);' });
  });

  it('asserts expression lines only: a declaration keeps its comment as an annotation', () => {
    const example = { where: 'x', lines: ['const images = Float32Array.from([0, 1]); // [2, 1]', 'Array.from(images) // [0, 1]', '// a remark'] };
    expect(assertionsOf(example).map((a) => a.code)).toEqual(['Array.from(images)']);
  });

  it('compares a printed value exactly: the same double, the typed array named, every item and key', () => {
    expect(mismatch(0.30000000000000004, { value: 0.30000000000000004 })).toBeUndefined();
    expect(mismatch(0.30000000000000004, { value: 0.3 })).toBe('expected 0.3, got 0.30000000000000004');
    expect(mismatch(-0, { value: 0 })).toBeUndefined();
    expect(mismatch(new Float64Array([1, 2]), { value: [1, 2] })).toBeUndefined();
    expect(mismatch([1, 2], { value: [1, 2], typed: 'Float64Array' })).toBe('expected a Float64Array, got [1, 2]');
    expect(mismatch({ value: 1, grad: new Float64Array([3]) }, { value: { value: 1, grad: [2] } })).toBe('expected 2 at .grad[0], got 3');
    expect(mismatch([[1], [2, 3]], { value: [[1], [2]] })).toBe('expected 1 items at [1], got 2: [2, 3]');
  });

  it('runs an example as one program with the package in scope, and names the line that threw', () => {
    const ok = runExample({ where: 'x', lines: ['const a = [1, 3, 5, 6, 7];', 'mse(a, [3, 2, 7, 5, 8]) // 2.2'] }, scope);
    expect(ok.values.get(1)).toBe(2.2);
    const thrown = runExample({ where: 'x', lines: ['const a = [1, 2];', 'mse(a, [1]) // 0'] }, scope);
    expect(thrown.error?.line).toBe(1);
    expect(String(thrown.error?.error)).toMatch(/^LossInputError: mse:/);
  });
});
