/**
 * `npm run notebooks` over notebooks/, written to a temporary directory (`--out-dir`): every
 * check passes, every required worked example is checked, and the committed notebooks and
 * reproduction.json equal the fresh execution byte for byte. Nothing in the repository is written.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../..');

/**
 * The worked examples of the source documents: each must have a passing check in
 * reproduction.json of the kind stated here, and where the source prints a number, the check's
 * `expected` must be that number (so a notebook cannot quietly move the goalposts).
 */
type Required = { kind: 'source' | 'reference' | 'identity'; source: string; example: string; expected?: number };
const REQUIRED_EXAMPLES: Required[] = [
  // seed 000: half-SSE `mse`, softmax CEE, sigmoid CEE
  { kind: 'source', source: '000', example: 'seed 000 mse() = half the sum of squares', expected: 5.5 },
  { kind: 'source', source: '000', example: '-ln 0.9', expected: 0.105 },
  { kind: 'source', source: '000', example: 'softmax CEE, sample 1', expected: 1.2039728043259361 },
  { kind: 'source', source: '000', example: 'softmax CEE, sample 2', expected: 0.6931471805599453 },
  { kind: 'source', source: '000', example: 'softmax CEE, sample 3', expected: 0.6931471805599453 },
  { kind: 'source', source: '000', example: 'softmax CEE, mean', expected: 0.8634223884819422 },
  ...[0.5108256237659907, 0.6931471805599453, 0.6931471805599453].map((expected, i) => ({ kind: 'source' as const, source: '000', example: `softmax CEE, better prediction, sample ${i + 1}`, expected })),
  { kind: 'source', source: '000', example: 'softmax CEE, better prediction, mean', expected: 0.6323733282952938 },
  ...[0.6931471805599453, 0.35667494393873245, 0.35667494393873245, 0.2231435513142097, 0.35667494393873245, 0.10536051565782628].map((expected, i) => ({ kind: 'source' as const, source: '000', example: `sigmoid CEE, sample ${i + 1}`, expected })),
  { kind: 'source', source: '000', example: 'sigmoid CEE, mean', expected: 0.34861267989136313 },
  // seed 001: numpy implementations against the package
  { kind: 'reference', source: 'seed 001 code, ported', example: "seed 001 mse() on seed 000's arrays equals losslab mse" },
  { kind: 'reference', source: 'PyTorch', example: "F.mse_loss on seed 000's arrays equals losslab mse" },
  ...['binary_crossentropy() equals losslab binaryCrossEntropy', 'categorical_crossentropy() equals losslab categoricalCrossEntropy', 'hinge() equals losslab hinge', 'kld() equals losslab klDivergence', 'dice_loss() equals losslab diceLoss'].map((what) => ({ kind: 'reference' as const, source: 'seed 001 code, ported', example: `seed 001 ${what}` })),
  ...['binary_crossentropy input: PyTorch F.binary_cross_entropy equals binaryCrossEntropy', 'categorical_crossentropy input: PyTorch F.nll_loss of log p equals categoricalCrossEntropy', "kld input: PyTorch F.kl_div(log q, p, 'batchmean') equals klDivergence"].map((what) => ({ kind: 'reference' as const, source: 'PyTorch', example: `seed 001 ${what}` })),
  // seed 002: height/weight regression, log_softmax + gather, MNIST
  { kind: 'source', source: '002', example: 'linear regression: MSE after 10000 Adam epochs', expected: 1.8618 },
  { kind: 'source', source: '002', example: 'linear regression: least-squares optimum MSE', expected: 1.8618 },
  { kind: 'reference', source: 'seed 002 code, ported', example: 'seed 002 cross_entropy_loss (log_softmax + gather) equals crossEntropy' },
  { kind: 'reference', source: 'PyTorch', example: 'seed 002 example logits: PyTorch F.cross_entropy equals crossEntropy' },
  { kind: 'source', source: '002', example: 'MNIST linear classifier test accuracy (%)', expected: 91.8 },
  // seed 003: loss and gradient descent, the dice
  { kind: 'source', source: '003', example: 'J(w) = 0 when w fits every sample', expected: 0 },
  { kind: 'reference', source: 'seed 003 formula, ported', example: 'seed 003 mini-batch J(U1, U2) of a two-layer network equals 2 · mse' },
  { kind: 'source', source: '003', example: 'fair die entropy', expected: 1.7918 },
  { kind: 'source', source: '003', example: 'fair die entropy as the cross-entropy H(p, p)', expected: 1.7918 },
  { kind: 'source', source: '003', example: 'cross-entropy of the fair die against the biased die', expected: 2.0343 },
  { kind: 'source', source: '003', example: 'cross-entropy of the fair die against the biased die, as entropy + KL', expected: 2.0343 },
  { kind: 'identity', source: 'identity', example: 'cross-entropy = entropy + KL divergence' },
  // seed 004: its PyTorch examples, on PyTorch's own random inputs (torch.manual_seed(0))
  { kind: 'reference', source: 'PyTorch', example: 'seed 004 CrossEntropyLoss example (torch.manual_seed(0)) equals crossEntropy' },
  { kind: 'reference', source: 'PyTorch', example: 'seed 004 BCELoss example (torch.manual_seed(0)) equals binaryCrossEntropy' },
  { kind: 'identity', source: 'identity', example: 'focal loss at gamma 0 equals cross-entropy' },
  { kind: 'identity', source: 'identity', example: 'sigmoid focal loss at gamma 0, alpha off equals binary cross-entropy with logits' },
  { kind: 'reference', source: 'seed 004 code, ported', example: 'seed 004 Keras focal_loss (typos fixed) equals sigmoidFocalLoss' },
  { kind: 'reference', source: 'seed 004 code, ported', example: 'seed 004 FocalLoss value equals losslab focalLoss' },
  { kind: 'reference', source: 'PyTorch', example: 'seed 004 FocalLoss class run in PyTorch equals losslab focalLoss' },
  { kind: 'reference', source: 'PyTorch', example: 'seed 004 Keras focal_loss input: torchvision sigmoid_focal_loss equals sigmoidFocalLoss' },
];

/** The .ipynb files of `dir` by name, with their bytes. */
const notebookBytes = (dir: string) => {
  if (!existsSync(dir)) return new Map<string, Buffer>();
  return new Map(readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort().map((f) => [f, readFileSync(path.join(dir, f))]));
};

const out = mkdtempSync(path.join(os.tmpdir(), 'losslab-notebooks-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

it('reproduces every worked example, and the committed notebooks and reproduction.json are what a fresh run writes', { timeout: 1_800_000 }, async () => {
  const committed = notebookBytes(path.join(root, 'notebooks'));
  const committedReport = readFileSync(path.join(root, 'reproduction.json'));
  let code = 0;
  let output: string;
  try {
    const r = await promisify(execFile)('npm', ['run', 'notebooks', '--', '--out-dir', out], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    output = r.stdout + r.stderr;
  } catch (e) {
    const r = e as { code: number; stdout: string; stderr: string };
    code = r.code;
    output = r.stdout + r.stderr;
  }
  expect(code, output).toBe(0);

  const report = readFileSync(path.join(out, 'reproduction.json'));
  const { checks } = JSON.parse(report.toString('utf8')) as {
    checks: Array<{ notebook: string; kind?: string; source: string; example: string; pass: boolean }>;
  };
  expect(checks.filter((c) => !c.pass)).toEqual([]);
  expect(checks.filter((c) => !['source', 'reference', 'identity'].includes(c.kind ?? '')), 'every check says what it is compared with').toEqual([]);
  for (const required of REQUIRED_EXAMPLES) {
    expect(checks, `no check for ${required.source}: ${required.example}`).toContainEqual(expect.objectContaining({ ...required, pass: true }));
  }

  const stale = 'run `npm run notebooks` and commit the result';
  const executed = notebookBytes(out);
  expect([...executed.keys()]).toEqual([...committed.keys()]);
  for (const [name, bytes] of committed) {
    expect(executed.get(name)?.equals(bytes), `notebooks/${name} differs from a fresh execution: ${stale}`).toBe(true);
  }
  expect(report.equals(committedReport), `reproduction.json differs from a fresh execution: ${stale}`).toBe(true);
  // the run read the repository and wrote only into `out`
  expect(notebookBytes(path.join(root, 'notebooks'))).toEqual(committed);
  expect(readFileSync(path.join(root, 'reproduction.json')).equals(committedReport)).toBe(true);
});
