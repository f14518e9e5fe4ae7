import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accuracyPage, accuracyReport } from '../../src/node/accuracy';
import { compileMdx } from '../../src/node/mdx/validate';

const dir = join(__dirname, '..', 'fixtures', 'accuracy');

describe('the Accuracy page', () => {
  it('renders the suite’s numbers next to PyTorch’s and TensorFlow.js’s as MDX that compiles', async () => {
    const report = await accuracyReport(dir, { tfjs: true, exports: ['crossEntropy', 'sigmoidFocalLoss', 'softmax', 'entropy'] });
    const mdx = accuracyPage(report, 'test/fixtures/accuracy');
    expect(mdx).toMatch(/^---\ntitle: Accuracy\nslug: \/accuracy\n/);
    expect(mdx).toContain('| export | cases | losslab | PyTorch float64 | TensorFlow.js | bounds met |');
    for (const name of ['crossEntropy', 'sigmoidFocalLoss', 'softmax', 'entropy']) expect(mdx).toContain(`### ${name}`);
    expect(mdx).toContain("`input [[0, 40]]; target [1]; options { reduction: 'none' }`");
    expect(mdx).toContain('## Float32 fast paths');
    // tfjs has a softmax cross-entropy and a softmax, but no focal loss or entropy
    const row = (name: string) => mdx.split('\n').find((l) => l.startsWith(`| [${name}]`))!;
    expect(row('crossEntropy')).not.toMatch(/\| — \| [✓✗]/);
    expect(row('sigmoidFocalLoss')).toMatch(/\| — \| [✓✗]/);
    await expect(compileMdx(mdx)).resolves.toBeTypeOf('string');
  });

  it('lists the cases of the losses of several arguments with every argument by name', async () => {
    const report = await accuracyReport(dir, { exports: ['gaussianNllLoss', 'ctcLoss'] });
    const mdx = accuracyPage(report, 'test/fixtures/accuracy');
    for (const name of ['gaussianNllLoss', 'ctcLoss']) expect(mdx).toContain(`### ${name}`);
    expect(mdx).toContain("`input [1e200, -3e180]; target [0, 0]; variance [1e300, 1e250]; options { reduction: 'none' }`");
    expect(mdx).toMatch(/`logProbs \[8 x 2 x 5\] values \(.*\); targets \[\[1, 2, 3\], \[4, 4, 1\]\]; inputLengths \[8, 8\]; targetLengths \[3, 3\]/);
    expect(report.cases.filter((c) => c.failures.length)).toEqual([]);
    await expect(compileMdx(mdx)).resolves.toBeTypeOf('string');
  });
});
