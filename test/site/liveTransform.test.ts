/**
 * The live pages' cell transform (src/site/live/worker/transform.ts), run here in Node as the
 * worker runs it: cells share one scope, re-running redefines, top-level await works, the last
 * expression is the cell's value, imports read the page's modules, and errors keep their line.
 */
import { describe, expect, it } from 'vitest';
import { CellSyntaxError, transformCell } from '../../src/site/live/worker/transform';
import * as losslab from '../../src';

function kernel(modules: Record<string, unknown> = {}) {
  const scope: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  return {
    scope,
    async run(source: string, cell = 1): Promise<unknown> {
      const t = transformCell(source, cell);
      for (const n of t.names) if (!(n in scope)) scope[n] = undefined;
      const fn = (0, eval)(t.code) as (s: object, load: (m: string) => unknown) => Promise<unknown>;
      return fn(scope, (m) => {
        if (!(m in modules)) throw new Error(`no module ${m}`);
        return modules[m];
      });
    },
  };
}

describe('a live notebook cell', () => {
  it('sees what earlier cells defined, and functions see later redefinitions', async () => {
    const k = kernel();
    await k.run('const y: number[] = [1, 3, 5];\nfunction total(): number { return y.reduce((s, v) => s + v, 0); }');
    expect(await k.run('total()')).toBe(9);
    await k.run('const y = [10, 20];');
    expect(await k.run('total()')).toBe(30);
    await k.run('let count = 0;\nclass Box { v = 2 }');
    await k.run('count++;\ncount += new Box().v;');
    expect(k.scope.count).toBe(3);
  });

  it('binds destructured names and leaves a declaration without a value undefined', async () => {
    const k = kernel();
    await k.run('const { a, b: [c, ...rest] } = { a: 1, b: [2, 3, 4] };\nlet later;');
    expect([k.scope.a, k.scope.c, k.scope.rest, 'later' in k.scope, k.scope.later]).toEqual([1, 2, [3, 4], true, undefined]);
  });

  it('awaits at the top level and returns the last expression', async () => {
    const k = kernel();
    expect(await k.run('const v = await Promise.resolve(21);\nv * 2')).toBe(42);
    expect(await k.run('void 0;')).toBeUndefined();
  });

  it('imports named, renamed and namespace bindings from the modules, types dropped', async () => {
    const k = kernel({ './src/index': losslab });
    await k.run("import { mse, sse as sumOfSquares, type Tensor } from './src/index';\nimport * as all from './src/index';");
    expect(await k.run('mse([1, 2], [0, 0]) + sumOfSquares([1], [0]) + all.mae([2], [0])', 2)).toBe(losslab.mse([1, 2], [0, 0]) + losslab.sse([1], [0]) + losslab.mae([2], [0]));
  });

  it('keeps the line of a runtime error in the TypeScript source, through a multi-line import and types', async () => {
    const k = kernel({ './src/index': losslab });
    const source = "import {\n  mse,\n} from './src/index';\nconst n: number = 1;\ninterface P { x: number }\nthrow new RangeError('at line six');";
    const error = (await k.run(source, 7).catch((e: unknown) => e)) as Error;
    expect(error.message).toBe('at line six');
    expect(error.stack).toMatch(/live-notebook\/cell-7\.ts:6:\d+/);
  });

  it('reports a syntax error with its line', () => {
    const error = (() => {
      try {
        transformCell('const a = 1;\nconst = 2;', 3);
      } catch (e) {
        return e;
      }
    })() as CellSyntaxError;
    expect(error).toBeInstanceOf(CellSyntaxError);
    expect(error.line).toBe(2);
  });
});
