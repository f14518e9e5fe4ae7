import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row } from '../../src/node/bench/table';

const hasTorch = spawnSync('/usr/bin/python3', ['-c', 'import torch']).status === 0;
const systems = ['losslab', 'tfjs-wasm', 'tfjs-cpu', ...(hasTorch ? ['torch'] : [])];
const workloads = ['mse-1e4', 'mse-1e5', 'bce-1e4', 'bce-1e5', 'smoothL1-1e4', 'smoothL1-1e5', 'softmax-ce-64x100', 'mnist-epoch', 'mnist-full'];

describe('npm run bench -- --quick --json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'losslab-bench-test-'));
  const path = join(dir, 'bench.json');
  let json: { meta: { quick: boolean; notes: string[] }; rows: Row[]; targets: unknown[] };
  let stdout = '';

  beforeAll(() => {
    stdout = execFileSync('npm', ['run', '--silent', 'bench', '--', '--quick', '--json', path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    json = JSON.parse(readFileSync(path, 'utf8')) as typeof json;
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints a table and writes quick-mode JSON', () => {
    expect(stdout).toMatch(/workload\s+system\s+median ms/);
    expect(json.meta.quick).toBe(true);
  });

  it(`has one row per workload and system (${systems.join(', ')})`, () => {
    const got = json.rows.map((r) => `${r.workload} ${r.system}`).sort();
    const want = workloads.flatMap((w) => systems.map((s) => `${w} ${s}`)).sort();
    expect(got).toEqual(want);
  });

  it('reports finite times, throughputs, ratios and values in every row', () => {
    for (const r of json.rows) {
      for (const v of [r.medianMs, r.elementsPerSecond, r.ratioToLosslab, r.copyMs, r.bandwidthFraction, r.value]) {
        expect(Number.isFinite(v), `${r.workload} ${r.system}`).toBe(true);
      }
      expect(r.reps).toBeGreaterThanOrEqual(1);
      if (!r.kind.startsWith('mnist')) expect(Number.isFinite(r.relError), `${r.workload} ${r.system} relError`).toBe(true);
      if (r.kind === 'mnist-full') expect(r.accuracy).toBeGreaterThan(0);
    }
  });

  it("gives losslab's loss values equal to the float64 reference (relative error < 1e-12)", () => {
    const losslab = json.rows.filter((r) => r.system === 'losslab' && r.reference !== null);
    expect(losslab.map((r) => r.workload)).toEqual(workloads.slice(0, 7));
    for (const r of losslab) expect(r.relError, r.workload).toBeLessThan(1e-12);
  });

  it('agrees with every other system to float32 precision', () => {
    for (const r of json.rows.filter((x) => x.reference !== null)) expect(r.relError, `${r.workload} ${r.system}`).toBeLessThan(1e-3);
  });
});
