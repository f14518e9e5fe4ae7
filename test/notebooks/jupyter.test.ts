/**
 * The notebooks under real Jupyter: Debian's `jupyter nbconvert --execute` on the losslab-tslab
 * kernel (installed into a temporary prefix) must record the same checks as `npm run notebooks`.
 * Skips outside CI when `jupyter nbconvert` is missing; with CI=true it must run.
 */
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { collectChecks } from '../../src/node/runner/collect';
import { readNotebook } from '../../src/node/runner/normalize';

const root = path.resolve(__dirname, '../..');
const run = promisify(execFile);
const hasNbconvert = spawnSync('jupyter', ['nbconvert', '--version']).status === 0;
const inCi = process.env.CI === 'true';

/** The committed notebooks plus the good runner fixture, so the test means something today. */
const notebooksDir = path.join(root, 'notebooks');
const notebooks = [
  ...(existsSync(notebooksDir) ? readdirSync(notebooksDir).filter((f) => f.endsWith('.ipynb')).sort().map((f) => path.join(notebooksDir, f)) : []),
  path.join(root, 'test/fixtures/notebooks/good.ipynb'),
];

const comparable = (file: string) => (c: { example: string; source: string; expected: number; actual: number; tolerance: number; pass: boolean; cell: number }) =>
  ({ notebook: path.basename(file), cell: c.cell, example: c.example, source: c.source, expected: c.expected, actual: c.actual, tolerance: c.tolerance, pass: c.pass });

if (!hasNbconvert && !inCi) {
  console.warn('jupyter.test.ts skipped: `jupyter nbconvert` is not installed (apt-get install jupyter-nbconvert python3-nbclient); with CI=true this test fails instead.');
}

describe.skipIf(!hasNbconvert && !inCi)('notebooks under jupyter nbconvert', () => {
  it('record the same checks as the in-process runner', { timeout: 900_000 }, async () => {
    expect(hasNbconvert, '`jupyter nbconvert` must be installed when CI=true').toBe(true);
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'losslab-jupyter-'));
    const prefix = path.join(tmp, 'prefix');
    await run(path.join(root, 'node_modules/.bin/tsx'), ['scripts/kernel-install.ts', '--prefix', prefix], { cwd: root });
    const env = { ...process.env, JUPYTER_PATH: path.join(prefix, 'share', 'jupyter') };

    const viaJupyter = path.join(tmp, 'nbconvert');
    const viaRunner = path.join(tmp, 'runner');
    mkdirSync(viaRunner);
    const copies = notebooks.map((f) => {
      const copy = path.join(viaRunner, path.basename(f));
      copyFileSync(f, copy);
      return copy;
    });
    const report = path.join(viaRunner, 'reproduction.json');
    await Promise.all([
      run('jupyter', ['nbconvert', '--execute', '--to', 'notebook', '--ExecutePreprocessor.kernel_name=losslab-tslab',
        '--ExecutePreprocessor.timeout=600', '--ExecutePreprocessor.startup_timeout=180', '--output-dir', viaJupyter, ...notebooks], { cwd: root, env }),
      run(path.join(root, 'node_modules/.bin/tsx'), ['scripts/notebooks.ts', ...copies, '--report', report], { cwd: root }),
    ]);

    const fromJupyter = notebooks.flatMap((f) =>
      collectChecks(readNotebook(readFileSync(path.join(viaJupyter, path.basename(f)), 'utf8')), f).map(comparable(f)));
    const fromRunner = (JSON.parse(readFileSync(report, 'utf8')) as { checks: Parameters<ReturnType<typeof comparable>>[0][] }).checks
      .map((c) => comparable((c as unknown as { notebook: string }).notebook)(c));
    expect(fromJupyter.length).toBeGreaterThan(0);
    expect(fromJupyter.every((c) => c.pass)).toBe(true);
    const key = (c: { notebook: string; cell: number; example: string }) => `${c.notebook}#${c.cell}#${c.example}`;
    expect([...fromJupyter].sort((a, b) => key(a).localeCompare(key(b)))).toEqual([...fromRunner].sort((a, b) => key(a).localeCompare(key(b))));
  });
});
