import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeMarkdown } from '../../src/node/mdx/escape';
import { convertNotebook, NotebookError, parseNotebook } from '../../src/node/mdx/notebook';
import { readChecks, reproductionPage, reproductionRows } from '../../src/node/mdx/reproduction';
import { compileMdx } from '../../src/node/mdx/validate';

const fixtures = join(__dirname, '..', 'fixtures', 'notebooks');
const read = (file: string) => readFileSync(join(fixtures, file), 'utf8');

async function convertFixture(file = 'every-output.ipynb') {
  const name = `test/fixtures/notebooks/${file}`;
  return convertNotebook(parseNotebook(read(file), name), { name, slug: file.replace(/\.ipynb$/, ''), position: 1 });
}

describe('converting a notebook with every output kind and hostile text', () => {
  it('gives MDX that compiles with remark-math and rehype-katex, cell by cell and as a page', async () => {
    const page = await convertFixture();
    for (const cell of page.cells) await expect(compileMdx(cell.mdx), `cell ${cell.index}`).resolves.toBeTypeOf('string');
    await expect(compileMdx(page.mdx)).resolves.toBeTypeOf('string');
  });

  it('takes the title from the first markdown heading', async () => {
    const page = await convertFixture();
    expect(page.title).toBe('Every output kind');
    expect(page.mdx).toMatch(/^---\ntitle: "Every output kind"\n/);
  });

  it('keeps inline and display math as math', async () => {
    const { mdx } = await convertFixture();
    expect(mdx).toContain('$\\ell_i = (x_i - y_i)^2$');
    expect(mdx).toContain('$$\n\\mathrm{mse} = \\frac{1}{n}\\sum_{i=1}^{n} (x_i - y_i)^2\n$$');
    const js = await compileMdx(mdx);
    expect(js).toContain('katex-display');
  });

  it('escapes braces, angle brackets, {{, script tags and dollars that are not math', async () => {
    const { mdx } = await convertFixture();
    expect(mdx).toContain('Braces \\{x\\} and \\{\\{ template \\}\\}');
    expect(mdx).toContain('a \\< b and \\<b>not bold\\</b>');
    expect(mdx).toContain("a \\<script>alert('x')\\</script> tag");
    expect(mdx).toContain('it costs \\$5 and \\$10, a lone \\$ sign, and an escaped \\$ dollar');
    expect(mdx).not.toContain('<!-- hidden -->');
    expect(mdx).toContain('&#105;mport this line would be ESM');
    expect(mdx).toContain('[https://example.com/a_b](https://example.com/a_b)');
  });

  it('leaves code spans and fenced code exactly as written', async () => {
    const { mdx } = await convertFixture();
    expect(mdx).toContain('`code with {braces} and <tags> and $dollars$`');
    expect(mdx).toContain("```python\ndef f(x): return {'a': x}  # <tag> {{ }} $ not math\n```");
  });

  it('renders code cells as ts blocks whose fence outlasts the backticks inside', async () => {
    const { mdx } = await convertFixture();
    expect(mdx).toContain("````ts\nconst x = { a: 1 };\nconsole.log(`{{x}} <tag> ${x.a}`);\nconsole.error('warn: a < b');\n```\nnot a fence end\n````");
  });

  it('renders streams, results and tracebacks as plain text blocks, ANSI codes removed', async () => {
    const { mdx } = await convertFixture();
    expect(mdx).toContain('<div className="ll-output ll-stdout">\n\n```text\n{{x}} <tag> 1\nsecond line { }\n```');
    expect(mdx).toContain('<div className="ll-output ll-stderr">\n\n```text\nwarn: a < b <!-- not a comment -->\n```');
    expect(mdx).toContain("````text\n{ a: 1, b: '<b>' } $5 ``` {{\n````");
    expect(mdx).toContain('```text\nError: <boom> {x}\n    at <anonymous>:1:7\n```');
    expect(mdx).not.toContain('\u001b[');
  });

  it('renders HTML through dangerouslySetInnerHTML with its scripts removed', async () => {
    const { mdx } = await convertFixture();
    expect(mdx).toContain('dangerouslySetInnerHTML={{ __html: "<table class=\\"t\\"><tr><th>loss</th><td>{2.2}</td></tr></table>" }}');
    expect(mdx).not.toContain('__pwned');
  });

  it('writes SVG, PNG and Vega-Lite plots as files the page links to', async () => {
    const page = await convertFixture();
    expect(page.plots).toBe(4);
    expect(page.assets.map((a) => a.file)).toEqual([
      'assets/every-output-cell6-1.svg',
      'assets/every-output-cell7-1.png',
      'assets/every-output-cell8-1.svg',
      'assets/every-output-cell9-1.svg',
    ]);
    for (const a of page.assets) expect(page.mdx).toContain(`](./${a.file})`);
    const png = page.assets[1]!.data as Buffer;
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it('uses the SVG that accompanies a Vega-Lite spec, and renders a bare spec with vega', async () => {
    const page = await convertFixture();
    expect(page.assets[2]!.data).toContain('#efe');
    const rendered = String(page.assets[3]!.data);
    expect(rendered).toMatch(/^<svg[\s\S]*<\/svg>$/);
    expect(rendered).toContain('class="mark-line');
  });

  it('renders losslab checks as styled pass and fail lines', async () => {
    const { mdx } = await convertFixture();
    expect(mdx).toContain('<div className="ll-output ll-check ll-check--pass" data-pass="true"><span className="ll-check__mark">✓</span> <strong>{"000 mse {y, y_i}"}</strong>');
    expect(mdx).toContain('expected <code>{"5.5"}</code>, reproduced <code>{"5.5"}</code>');
    expect(mdx).toContain('ll-check--fail" data-pass="false"');
    expect(mdx).toContain('expected <code>{"[1,2]"}</code>, reproduced <code>{"[1,3]"}</code>');
  });

  it('renders markdown outputs as markdown, escaped', async () => {
    const { mdx } = await convertFixture();
    expect(mdx).toContain('**bold** result with $x^2$ and \\{braces\\}');
  });
});

describe('a notebook the converter cannot render', () => {
  it('fails on invalid JSON, naming the notebook', () => {
    expect(() => parseNotebook(read('broken-json.ipynb'), 'notebooks/07-broken.ipynb')).toThrow(/^notebooks\/07-broken\.ipynb: not valid notebook JSON/);
  });

  it('fails on an unknown output type, naming the notebook and the cell', () => {
    expect(() => parseNotebook(read('unknown-output.ipynb'), 'notebooks/08-odd.ipynb')).toThrow('notebooks/08-odd.ipynb, cell 2: output 1: unknown output_type "mystery"');
  });

  it('fails on an unknown cell type and on a notebook without cells', () => {
    expect(() => parseNotebook('{"cells": [{"cell_type": "widget", "source": ""}]}', 'a.ipynb')).toThrow('a.ipynb, cell 1: unknown cell_type "widget"');
    expect(() => parseNotebook('{"worksheets": []}', 'b.ipynb')).toThrow('b.ipynb: not a notebook: expected an object with a "cells" array');
  });

  it('fails on a display with no MIME type it can render, naming the cell', async () => {
    const nb = parseNotebook(
      JSON.stringify({ cells: [{ cell_type: 'code', source: 'x', outputs: [{ output_type: 'display_data', data: { 'application/x-widget': {} } }] }] }),
      'c.ipynb',
    );
    await expect(convertNotebook(nb, { name: 'c.ipynb', slug: 'c' })).rejects.toThrow('c.ipynb, cell 1: output 1: no renderable MIME type (got application/x-widget)');
  });

  it('fails on a Vega-Lite spec vega cannot render, naming the cell', async () => {
    const nb = parseNotebook(
      JSON.stringify({
        cells: [{ cell_type: 'code', source: 'x', outputs: [{ output_type: 'display_data', data: { 'application/vnd.vegalite.v5+json': { mark: 'nonsense' } } }] }],
      }),
      'd.ipynb',
    );
    const error = await convertNotebook(nb, { name: 'd.ipynb', slug: 'd' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotebookError);
    expect((error as Error).message).toMatch(/^d\.ipynb, cell 1: output 1: the Vega-Lite spec does not render/);
  });
});

describe('escaping markdown for MDX', () => {
  it('leaves ordinary markdown alone', () => {
    expect(escapeMarkdown('# Title\n\n- *a* and **b**, [link](https://x.y)')).toBe('# Title\n\n- *a* and **b**, [link](https://x.y)');
  });

  it('treats $ followed by a space or closed before a digit as a literal dollar', () => {
    expect(escapeMarkdown('between $ 5 and $10')).toBe('between \\$ 5 and \\$10');
    expect(escapeMarkdown('$x$ and $y$')).toBe('$x$ and $y$');
  });

  it('puts display math that stands alone onto its own lines, inside list items too', () => {
    expect(escapeMarkdown('text\n\n  $$a < b$$\n')).toBe('text\n\n  $$\n  a < b\n  $$\n');
  });

  it('compiles whatever it is given', async () => {
    const hostile = ['{', '}', '{{', '}}', '<', '<>', '</x>', '<!--', '-->', '$', '$$', '`', '```', 'import x', 'export {}', '&', '\\', '<https://a.b>', '$$ x', '{/* */}'];
    for (const s of hostile) await expect(compileMdx(escapeMarkdown(`a ${s} b\n\n${s}`)), JSON.stringify(s)).resolves.toBeTypeOf('string');
  });
});

describe('the reproduction page', () => {
  it('reads an array, a { checks } object or checks keyed by notebook', () => {
    const check = { example: 'e', source: 's', expected: 1, actual: 1, tolerance: 0, pass: true };
    expect(readChecks(JSON.stringify([{ ...check, notebook: 'n.ipynb' }]), 'r.json')).toHaveLength(1);
    expect(readChecks(JSON.stringify({ checks: [check, check] }), 'r.json')).toHaveLength(2);
    expect(readChecks(JSON.stringify({ 'notebooks/01-a.ipynb': [check] }), 'r.json')[0]!.notebook).toBe('notebooks/01-a.ipynb');
  });

  it('fails naming the file when the JSON is not checks', () => {
    expect(() => readChecks('{', 'reproduction.json')).toThrow(/^reproduction\.json: not valid JSON/);
    expect(() => readChecks('[{"example": "x"}]', 'reproduction.json')).toThrow(/^reproduction\.json: every check needs/);
  });

  it('renders a page that compiles, linking checks to their notebook pages', async () => {
    const checks = readChecks(
      JSON.stringify([{ example: '<e> {x}', source: 's $5', expected: [1, 2], actual: 2.2, tolerance: 1e-9, pass: true, notebook: 'notebooks/01-mse.ipynb' }]),
      'r.json',
    );
    const rows = reproductionRows(checks, new Map([['01-mse', '/docs/notebooks/01-mse']]));
    expect(rows[0]).toMatchObject({ example: '<e> {x}', expected: '[1,2]', actual: '2.2', href: '/docs/notebooks/01-mse' });
    const page = reproductionPage(rows, 'reproduction.json');
    expect(page).toContain('**1 of 1** checks pass');
    await expect(compileMdx(page)).resolves.toBeTypeOf('string');
  });

  it('groups the checks by kind, then by source document or reference', async () => {
    const base = { expected: 1, actual: 1, tolerance: 0, pass: true, notebook: 'notebooks/01-a.ipynb' };
    const checks = readChecks(
      JSON.stringify([
        { ...base, example: 'an identity', kind: 'identity', source: 'identity' },
        { ...base, example: 'from PyTorch', kind: 'reference', source: 'PyTorch' },
        { ...base, example: 'printed by 003', kind: 'source', source: '003' },
        { ...base, example: 'printed by 000', kind: 'source', source: '000' },
        { ...base, example: 'closed form {x}', kind: 'reference', source: 'closed form <$>', pass: false },
      ]),
      'r.json',
    );
    const page = reproductionPage(reproductionRows(checks, new Map()), 'reproduction.json');
    const order = [
      '## Numbers the sources printed',
      '### Seed 000',
      'printed by 000',
      '### Seed 003',
      '## Independent references',
      '### PyTorch',
      'from PyTorch',
      'closed form {x}',
      '## Identities',
      'an identity',
    ];
    const at = order.map((s) => page.indexOf(s));
    expect(
      at.every((i) => i >= 0),
      JSON.stringify(at),
    ).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(page).toContain('**1 of 2** pass');
    expect(page).toContain('**4 of 5** checks pass');
    await expect(compileMdx(page)).resolves.toBeTypeOf('string');
  });
});
