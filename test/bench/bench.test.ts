import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Row, TargetCheck } from '../../src/node/bench/table';

const hasTorch = spawnSync('/usr/bin/python3', ['-c', 'import torch']).status === 0;
const systems = ['losslab', 'tfjs-wasm', 'tfjs-cpu', ...(hasTorch ? ['torch'] : [])];
const elementwise = ['mse', 'mae', 'huber', 'smoothL1', 'logCosh', 'bce', 'bceLogits'].flatMap((k) => [`${k}-1e4`, `${k}-1e5`]);
const withReference = [...elementwise, 'softmax-ce-64x100'];
const workloads = [...withReference, 'mnist-epoch', 'mnist-full'];

describe('npm run bench -- --quick --json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'losslab-bench-test-'));
  const path = join(dir, 'bench.json');
  let json: { meta: { quick: boolean; notes: string[] }; rows: Row[]; targets: TargetCheck[] };
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

  it(`has one row per workload and system (${systems.join(', ')}; PyTorch in float64 too, but for MNIST)`, () => {
    const got = json.rows.map((r) => `${r.workload} ${r.system}`).sort();
    const want = workloads.flatMap((w) => [...systems, ...(hasTorch && !w.startsWith('mnist') ? ['torch-f64'] : [])].map((s) => `${w} ${s}`)).sort();
    expect(got).toEqual(want);
  });

  it('reports finite times, throughputs, ratios and values in every row, on medians and on minimums', () => {
    for (const r of json.rows) {
      const fields = { medianMs: r.medianMs, minMs: r.minMs, elementsPerSecond: r.elementsPerSecond, ratioToLosslab: r.ratioToLosslab, ratioToLosslabMin: r.ratioToLosslabMin };
      const copy = { copyMs: r.copyMs, copyMinMs: r.copyMinMs, bandwidthFraction: r.bandwidthFraction, bandwidthFractionMin: r.bandwidthFractionMin, value: r.value };
      for (const [name, v] of Object.entries({ ...fields, ...copy })) expect(Number.isFinite(v), `${r.workload} ${r.system} ${name}`).toBe(true);
      if (!r.estimated) expect(r.minMs).toBe(Math.min(...r.samplesMs));
      expect(r.minMs).toBeLessThanOrEqual(r.medianMs);
      expect(r.copyMinMs).toBeLessThanOrEqual(r.copyMs);
      expect(r.reps).toBeGreaterThanOrEqual(1);
      if (!r.kind.startsWith('mnist')) expect(Number.isFinite(r.relError), `${r.workload} ${r.system} relError`).toBe(true);
      if (r.kind === 'mnist-full') expect(r.accuracy).toBeGreaterThan(0);
    }
  });

  it("gives losslab's loss values equal to the float64 reference (relative error < 1e-12)", () => {
    const losslab = json.rows.filter((r) => r.system === 'losslab' && r.reference !== null);
    expect(losslab.map((r) => r.workload)).toEqual(withReference);
    for (const r of losslab) expect(r.relError, r.workload).toBeLessThan(1e-12);
  });

  it("gives losslab's own rows ratios of 1 and the others' ratios from their times", () => {
    for (const r of json.rows) {
      const base = json.rows.find((b) => b.workload === r.workload && b.system === 'losslab')!;
      expect(r.ratioToLosslab, `${r.workload} ${r.system}`).toBeCloseTo(r.medianMs / base.medianMs, 12);
      expect(r.ratioToLosslabMin, `${r.workload} ${r.system}`).toBeCloseTo(r.minMs / base.minMs, 12);
      expect(r.bandwidthFractionMin).toBeCloseTo(r.copyMinMs / r.minMs, 12);
    }
  });

  it('checks the targets of every workload, on medians and on minimums where PyTorch ran', () => {
    const checked = (w: string) => json.targets.filter((t) => t.workload === w).map((t) => t.target);
    for (const w of workloads) {
      expect(checked(w), w).toContain('faster than tfjs-wasm');
      if (hasTorch) expect(checked(w), w).toEqual(expect.arrayContaining(['faster than torch (median)', expect.stringMatching(/faster than torch \(min\)$/)]));
    }
  });

  it('agrees with every other system to float32 precision, and with PyTorch in float64 to float64 precision', () => {
    for (const r of json.rows.filter((x) => x.reference !== null)) expect(r.relError, `${r.workload} ${r.system}`).toBeLessThan(r.system === 'torch-f64' ? 1e-12 : 1e-3);
  });
});
