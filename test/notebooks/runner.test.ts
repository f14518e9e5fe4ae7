import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');
const fixture = (name: string) => path.join(root, 'test/fixtures/notebooks', name);
const scratch: string[] = [];
const tmp = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'losslab-runner-'));
  scratch.push(dir);
  return dir;
};
afterAll(() => scratch.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
/** A fixture copied into a fresh temporary directory: the tests run notebooks there, never in the repository. */
const copyOf = (name: string) => {
  const file = path.join(tmp(), name);
  copyFileSync(fixture(name), file);
  return file;
};

/** Runs `npm run notebooks -- ...args` (via tsx directly) and returns its exit code and output. */
async function runNotebooks(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await promisify(execFile)(path.join(root, 'node_modules/.bin/tsx'), ['scripts/notebooks.ts', ...args], {
      cwd: root, env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const { code, stdout, stderr } = e as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

describe.concurrent('npm run notebooks', { timeout: 240_000 }, () => {
  it('stops at a throwing cell, names notebook, cell and line, and leaves the file untouched', async () => {
    const file = copyOf('broken.ipynb');
    const before = readFileSync(file);
    const { code, stderr } = await runNotebooks([file, '--report', path.join(tmp(), 'r.json')]);
    expect(code).not.toBe(0);
    expect(stderr).toContain(`${file}: cell 2/3 failed at line 2:`);
    expect(stderr).toContain("if (xs.length > 2) throw new Error('deliberately broken');");
    expect(stderr).toContain('Error: deliberately broken');
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('runs a notebook with a check and a plot, and a second run gives the same bytes', async () => {
    const dir = tmp();
    const file = path.join(dir, 'good.ipynb');
    copyFileSync(fixture('good.ipynb'), file);
    const report = path.join(dir, 'reproduction.json');
    const first = await runNotebooks([file, '--report', report]);
    expect(first.code).toBe(0);
    const once = readFileSync(file);
    const second = await runNotebooks([file, '--report', report]);
    expect(second.code).toBe(0);
    expect(readFileSync(file).equals(once)).toBe(true);

    const nb = JSON.parse(once.toString('utf8')) as { cells: Array<{ cell_type: string; execution_count?: number; outputs?: Array<{ data?: object }> }> };
    const counts = nb.cells.filter((c) => c.cell_type === 'code').map((c) => c.execution_count);
    expect(counts).toEqual([1, 2, 3, 4]);
    const mimes = nb.cells.flatMap((c) => (c.outputs ?? []).flatMap((o) => Object.keys(o.data ?? {})));
    expect(mimes).toEqual(expect.arrayContaining(['image/svg+xml', 'application/vnd.vegalite.v5+json', 'application/vnd.losslab.check+json']));
    expect(once.toString('utf8')).not.toMatch(/"execution"|iopub|\d{4}-\d\d-\d\dT\d\d:/);
    expect(once.toString('utf8')).not.toContain(root);

    const { checks } = JSON.parse(readFileSync(report, 'utf8')) as { checks: unknown[] };
    expect(checks).toEqual([expect.objectContaining({ example: 'half SSE of [1, -2, 3]', kind: 'source', source: '000', expected: 7, actual: 7, pass: true })]);
    expect(second.stdout).toContain('1/1 checks pass');
  });

  it('with --out-dir writes the executed notebook and the report there, and leaves the source as it was', async () => {
    const file = copyOf('good.ipynb');
    const before = readFileSync(file);
    const out = path.join(tmp(), 'out');
    const { code, stderr } = await runNotebooks([file, '--out-dir', out]);
    expect(code, stderr).toBe(0);
    expect(readFileSync(file).equals(before)).toBe(true);
    const nb = JSON.parse(readFileSync(path.join(out, 'good.ipynb'), 'utf8')) as { cells: Array<{ cell_type: string; execution_count?: number }> };
    expect(nb.cells.filter((c) => c.cell_type === 'code').map((c) => c.execution_count)).toEqual([1, 2, 3, 4]);
    const { checks } = JSON.parse(readFileSync(path.join(out, 'reproduction.json'), 'utf8')) as { checks: unknown[] };
    expect(checks).toEqual([expect.objectContaining({ notebook: file, example: 'half SSE of [1, -2, 3]', pass: true })]);
  });

  it('reports a cell past the per-cell limit like a failing cell', async () => {
    const file = copyOf('timeout.ipynb');
    const before = readFileSync(file);
    const { code, stderr } = await runNotebooks([file, '--report', path.join(tmp(), 'r.json')], { LOSSLAB_CELL_TIMEOUT: '3' });
    expect(code).not.toBe(0);
    expect(stderr).toContain(`${file}: cell 1/1 timed out (the cell begins: let spins = 0;)`);
    expect(stderr).toContain('timed out after 3 s');
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('fails the run on a failing check', async () => {
    const file = copyOf('failing-check.ipynb');
    const before = readFileSync(file);
    const { code, stderr } = await runNotebooks([file, '--report', path.join(tmp(), 'r.json')]);
    expect(code).not.toBe(0);
    expect(stderr).toContain('failing-check.ipynb: cell 2/2 failed at line 2:');
    expect(stderr).toContain('CheckFailedError: check failed: mean of 1, 2, 3 — reference, closed form: 2.5, losslab 2, |Δ| 5.0e-1 > 1e-9');
    expect(readFileSync(file).equals(before)).toBe(true);
  });
});
