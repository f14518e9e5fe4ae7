/**
 * The "Accuracy" docs page (docs/generated/accuracy.mdx, written by `npm run docs:prepare`),
 * rendered from the accuracy report: per export, losslab's worst relative error next to
 * PyTorch's and TensorFlow.js's on the same inputs, then every case with its inputs.
 */
import { escapeMarkdown, jsString } from '../mdx/escape';
import { F32_GRAD_REL, F32_TINY_ABS, formatError, REL_BOUND, TINY_ABS, TORCH_FLOOR, worse, type QuantityError } from './error';
import type { AccuracyReport, CaseScore, SystemScore } from './report';

/** One error cell: the worst relative error, or the absolute one where every exact result is 0 or subnormal. */
function cell(q: QuantityError | null | undefined, absBound = TINY_ABS): string {
  if (!q) return '—';
  if (q.normal === 0 && q.tiny === 0) return '—';
  if (q.normal === 0) return `abs ${formatError(q.tinyAbs)}`;
  const rel = formatError(q.rel);
  return q.tinyAbs > absBound ? `${rel} (abs ${formatError(q.tinyAbs)})` : rel;
}

/** value / gradient (value alone for the helpers without a gradient); 'throws' when a call threw. */
function pair(s: SystemScore | null): string {
  if (!s) return '—';
  if (s.error !== undefined) return 'throws';
  if (!s.value && !s.grad) return '—';
  return s.grad ? `${cell(s.value)} / ${cell(s.grad)}` : cell(s.value);
}

/** Text for a table cell: MDX-escaped, pipes escaped. */
function text(s: string): string {
  return escapeMarkdown(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function code(s: string): string {
  return '`' + s.replace(/`/g, "'").replace(/\|/g, '\\|') + '`';
}

interface Summary {
  export: string;
  cases: number;
  failing: number;
  losslab: SystemScore;
  torch: SystemScore;
  tfjs: SystemScore;
  tfjsCases: number;
}

function summarize(cases: CaseScore[]): Summary[] {
  const by = new Map<string, Summary>();
  for (const c of cases) {
    if (c.dtype !== 'float64') continue;
    let s = by.get(c.export);
    if (!s) {
      s = { export: c.export, cases: 0, failing: 0, losslab: { value: null, grad: null }, torch: { value: null, grad: null }, tfjs: { value: null, grad: null }, tfjsCases: 0 };
      by.set(c.export, s);
    }
    s.cases++;
    if (c.failures.length) s.failing++;
    const merge = (into: SystemScore, from: SystemScore | null) => {
      if (!from) return;
      into.value = worse(into.value, from.value);
      into.grad = worse(into.grad, from.grad);
    };
    merge(s.losslab, c.losslab);
    merge(s.torch, c.torch);
    if (c.tfjs) {
      s.tfjsCases++;
      merge(s.tfjs, c.tfjs);
    }
  }
  return [...by.values()];
}

const mark = (failing: number) => (failing === 0 ? '✓' : `✗ ${failing}`);

export function accuracyPage(report: AccuracyReport, source: string): string {
  const cases = report.cases;
  const f64 = cases.filter((c) => c.dtype === 'float64');
  const f32 = cases.filter((c) => c.dtype === 'float32');
  const failing = cases.filter((c) => c.failures.length > 0);
  const fx = report.fixtures[0];
  const summaries = summarize(cases);
  const lines: string[] = [];
  lines.push(
    [
      '---',
      'title: Accuracy',
      'slug: /accuracy',
      'description: "Every loss and helper against the exact result, next to PyTorch float64 and TensorFlow.js, on hard inputs."',
      'custom_edit_url: null',
      '---',
    ].join('\n'),
  );
  lines.push('# Accuracy');
  lines.push(
    `**The promise:** every value and gradient of every loss and helper is within ${formatError(REL_BOUND)} relative of the exact result wherever that result is a normal float64 number, on ill-conditioned inputs too, and never less accurate than PyTorch float64 on the same input.`,
  );
  lines.push(
    `The inputs are chosen to be hard: confident predictions whose losses are tiny (a cross-entropy of 4.2e-18), logits of ±30, ±700 and ±1e4, offsets of 1e16, probabilities of exactly 0 and 1 and subnormal ones, values at the clamps (the binary cross-entropy's log at -100, Keras's clip to [1e-7, 1 - 1e-7]), nearly equal distributions, sums that cancel or overflow, and sums of 1e5 and 1e7 terms. ` +
      `The exact result of each case, value and gradient, is computed with mpmath at ${precision(fx?.dps)} from the formula in the export's reference page (the clamped formula where a clamp applies); PyTorch ${fx?.torch ?? ''} computes the same inputs in float64, with autograd for the gradient (the Keras formula in torch ops where only Keras has the loss). ` +
      (report.tfjs
        ? 'TensorFlow.js runs its own loss where it has one, on its cpu backend: in float32, so its inputs are rounded before it starts and its errors are large; that is what float32 costs. '
        : '') +
      'Every number below is computed when the site is built, by the same code as the accuracy test suite (`test/accuracy/`).',
  );
  lines.push(
    `How errors are measured: the relative error |computed − exact| / |exact|, the worst over a case's elements (every element of a gradient, of each of the gradients of a loss of several arguments, or of a \`'none'\` result; at 30 sampled indices for inputs of 1e5 elements and more) and over every way of calling the export (\`f\`, \`f.grad\`, \`f.valueAndGrad\`). Where the exact result is 0 or subnormal there is no relative precision to promise; there the error is absolute and bounded by 2^-1022 (shown as "abs"). "Never less accurate than PyTorch" allows a floor of ${formatError(TORCH_FLOOR)} (2 ulp). A cell reads value / gradient; — means the system has no such function.`,
  );
  lines.push(
    failing.length === 0
      ? `**All ${cases.length} cases meet every bound.**`
      : `**${cases.length - failing.length} of ${cases.length} cases meet every bound**; the ${failing.length} others are listed under their export with the bound they miss.`,
  );

  lines.push('## Worst relative error per export');
  lines.push(
    [
      `| export | cases | losslab | PyTorch float64 | TensorFlow.js | bounds met |`,
      `|---|---:|---:|---:|---:|:---:|`,
      ...summaries.map(
        (s) =>
          `| [${s.export}](#${anchor(s.export)}) | ${s.cases} | ${pair(s.losslab)} | ${pair(s.torch)} | ${s.tfjsCases ? pair(s.tfjs) + (s.tfjsCases < s.cases ? ` (${s.tfjsCases} of ${s.cases})` : '') : '—'} | ${mark(s.failing)} |`,
      ),
    ].join('\n'),
  );
  lines.push('## The cases');
  for (const s of summaries) {
    lines.push(`### ${s.export}`);
    const rows = f64.filter((c) => c.export === s.export);
    lines.push(
      [
        `| case | inputs | losslab | PyTorch | TensorFlow.js | |`,
        `|---|---|---:|---:|---:|:---:|`,
        ...rows.map(
          (c) =>
            `| ${text(c.name)}${c.note ? `<br/><small>${text(c.note)}</small>` : ''} | ${code(c.inputs)} | ${pair(c.losslab)} | ${pair(c.torch)} | ${c.tfjs ? pair(c.tfjs) : '—'} | ${c.failures.length ? '✗' : '✓'} |`,
        ),
      ].join('\n'),
    );
    const misses = rows.filter((c) => c.failures.length);
    if (misses.length) lines.push(misses.map((c) => `- **${text(c.name)}**: ${c.misses.map(text).join('; ')}`).join('\n'));
  }

  if (f32.length) {
    lines.push('## Float32 fast paths');
    lines.push(
      `With Float32Array inputs (\`{ data, shape }\` tensors) the exact reference is taken on the float32 values themselves. The value is accumulated in float64 and stays within ${formatError(REL_BOUND)}; a gradient written into a Float32Array (\`out\`) is the float32 rounding of a gradient accurate to ${formatError(REL_BOUND)}, so within 2^-24 + ${formatError(REL_BOUND)} = ${formatError(F32_GRAD_REL)} relative (absolutely within 2^-126, ${formatError(F32_TINY_ABS)}, where the exact gradient is below float32's normal range); without \`out\` the gradient is float64 and within ${formatError(REL_BOUND)}.`,
    );
    lines.push(
      [
        `| export | case | inputs | value | gradient (Float32Array out) | gradient (float64) | TensorFlow.js | |`,
        `|---|---|---|---:|---:|---:|---:|:---:|`,
        ...f32.map((c) => {
          const outPaths = c.paths.filter((p) => p.float32Grad);
          const f64Paths = c.paths.filter((p) => !p.float32Grad);
          const g32 = outPaths.reduce<QuantityError | null>((a, p) => worse(a, p.grad), null);
          const g64 = f64Paths.reduce<QuantityError | null>((a, p) => worse(a, p.grad), null);
          const v = c.paths.reduce<QuantityError | null>((a, p) => worse(a, p.value), null);
          return `| ${c.export} | ${text(c.name)} | ${code(c.inputs)} | ${cell(v)} | ${cell(g32, F32_TINY_ABS)} | ${cell(g64)} | ${c.tfjs ? pair(c.tfjs) : '—'} | ${c.failures.length ? '✗' : '✓'} |`;
        }),
      ].join('\n'),
    );
    const misses = f32.filter((c) => c.failures.length);
    if (misses.length) lines.push(misses.map((c) => `- **${c.export}, ${text(c.name)}**: ${c.misses.map(text).join('; ')}`).join('\n'));
  }

  lines.push(
    `<p className="ll-source-note">Generated by <code>npm run docs:prepare</code> from <code>{${jsString(source)}}</code> (mpmath ${fx?.mpmath ?? ''}, PyTorch ${fx?.torch ?? ''}${fx?.torchvision ? `, torchvision ${fx.torchvision}` : ''}), written by <code>/usr/bin/python3 scripts/fixtures/accuracy_fixtures.py</code>.</p>`,
  );
  return lines.join('\n\n') + '\n';
}

/** Docusaurus's heading id for an export name: lower case. */
function anchor(name: string): string {
  return name.toLowerCase();
}

function precision(dps: AccuracyReport['fixtures'][number]['dps'] | undefined): string {
  if (dps === undefined) return 'high precision';
  if (typeof dps === 'number') return `${dps} digits`;
  return `${dps.literal} digits (${dps.formula} for the generated large inputs)`;
}
