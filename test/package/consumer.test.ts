import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(__dirname, '../..');
const run = (cmd: string, args: string[], cwd: string) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** The compiler's output of a command expected to fail. */
function compileErrors(command: () => unknown): string {
  try {
    command();
  } catch (error) {
    return String((error as { stdout?: string }).stdout);
  }
  return 'compiled without errors';
}

/**
 * Builds and packs losslab, installs the tarball into a scratch project, and
 * uses it there the way a user would: ESM import, CommonJS require, types.
 */
describe('the built package, installed in a scratch project', () => {
  let scratch = '';

  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'losslab-consumer-'));
    run('npm', ['run', 'build'], root);
    run('npm', ['pack', '--pack-destination', scratch], root);
    const tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'))!;
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true }));
    run('npm', ['install', '--no-audit', '--no-fund', '--offline', join(scratch, tarball)], scratch);
  }, 120_000);

  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('can be imported as an ES module', () => {
    writeFileSync(join(scratch, 'use.mjs'), "import { mse } from 'losslab';\nconsole.log(mse([1, 3, 5, 6, 7], [3, 2, 7, 5, 8]));\n");
    expect(run('node', ['use.mjs'], scratch).trim()).toBe(String((4 + 1 + 4 + 1 + 1) / 5));
  });

  it('can be required as CommonJS', () => {
    writeFileSync(join(scratch, 'use.cjs'), "const { crossEntropy } = require('losslab');\nconsole.log(crossEntropy([[0, 0]], [1]));\n");
    expect(Number(run('node', ['use.cjs'], scratch))).toBeCloseTo(Math.log(2), 12);
  });

  it('ships types that catch a misuse under both module systems', () => {
    const tsc = join(root, 'node_modules/typescript/bin/tsc');
    writeFileSync(join(scratch, 'ok.mts'), "import { mse, type Loss } from 'losslab';\nconst v: number = mse([1], [2]);\nexport { v };\nexport type L = Loss<number[], {}>;\n");
    writeFileSync(join(scratch, 'ok.cts'), "import losslab = require('losslab');\nconst g: number[] = losslab.mse.grad([1], [2]);\nexport { g };\n");
    writeFileSync(join(scratch, 'bad.mts'), "import { mse } from 'losslab';\nconst s: string = mse([1], [2]);\nexport { s };\n");
    const args = ['--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16'];
    run('node', [tsc, ...args, 'ok.mts', 'ok.cts'], scratch);
    const misuse = compileErrors(() => run('node', [tsc, ...args, 'bad.mts'], scratch));
    expect(misuse).toMatch(/Type 'number' is not assignable to type 'string'/);
  });
});
