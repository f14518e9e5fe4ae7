import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectErrata, errataPage, SEED_TITLES, type ErrataNotebook } from '../../src/node/mdx/errata';
import { firstHeading, NotebookError, parseNotebook, type Cell } from '../../src/node/mdx/notebook';
import { compileMdx } from '../../src/node/mdx/validate';

const fixture = 'test/fixtures/notebooks/errata.ipynb';
const read = () => parseNotebook(readFileSync(join(__dirname, '..', '..', fixture), 'utf8'), fixture);
const fixtureNotebook = (): ErrataNotebook => ({ name: fixture, title: 'Fixture · errata', href: '/docs/notebooks/09-errata', nb: read() });
const markdown = (source: string, tags?: unknown): Cell => ({ cell_type: 'markdown', source, metadata: tags === undefined ? {} : ({ tags } as { tags: string[] }) });
const oneCell = (cell: Cell): ErrataNotebook => ({ name: 'notebooks/10-bad.ipynb', title: 'Bad', href: '/docs/notebooks/10-bad', nb: { cells: [markdown('# Bad'), cell] } });

describe('collecting erratum cells', () => {
  it('finds every tagged cell, in notebook order, with its seed, cell number and page', () => {
    const errata = collectErrata([fixtureNotebook()]);
    expect(errata.map((e) => [e.seed, e.cell])).toEqual([
      ['004', 2],
      ['000', 4],
      ['004', 6],
    ]);
    expect(errata[0]!.href).toBe('/docs/notebooks/09-errata');
    expect(errata[1]!.text.startsWith('**Erratum (seed 000), partly true.**')).toBe(true);
  });

  it('names the notebook and cell of a tagged cell without the bold lead', () => {
    const bad = oneCell(markdown('Erratum (seed 004): no bold lead', ['erratum']));
    expect(() => collectErrata([bad])).toThrow(NotebookError);
    expect(() => collectErrata([bad])).toThrow(/^notebooks\/10-bad\.ipynb, cell 2: an erratum cell must start with a bold lead such as "\*\*Erratum \(seed 004\)\.\*\*"/);
  });

  it('rejects an erratum lead in a cell that is not tagged, so none is left off the page', () => {
    expect(() => collectErrata([oneCell(markdown('**Erratum (seed 003).** forgot the tag'))])).toThrow(/cell 2: .*not tagged "erratum"/);
    expect(() => collectErrata([oneCell(markdown('Some text.\n\n**Erratum (seed 003).** in the middle'))])).toThrow(/cell 2: .*not tagged "erratum"/);
  });

  it('rejects two errata in one cell, an unknown seed, a tagged code cell and malformed tags', () => {
    expect(() => collectErrata([oneCell(markdown('**Erratum (seed 001).** one.\n\n**Erratum (seed 002).** two.', ['erratum']))])).toThrow(
      /cell 2: an erratum cell holds one erratum, got 2/,
    );
    expect(() => collectErrata([oneCell(markdown('**Erratum (seed 007).** no such source', ['erratum']))])).toThrow(
      /cell 2: erratum for seed 007, but the source documents are seeds 000, 001, 002, 003, 004/,
    );
    expect(() => collectErrata([oneCell({ cell_type: 'code', source: '**Erratum (seed 001).**', metadata: { tags: ['erratum'] }, outputs: [] })])).toThrow(
      /cell 2: a cell tagged "erratum" must be a markdown cell, got a code cell/,
    );
    expect(() => collectErrata([oneCell(markdown('**Erratum (seed 001).** x', 'erratum'))])).toThrow(/cell 2: metadata.tags must be an array of strings, got "erratum"/);
  });
});

describe('the errata page', () => {
  const page = () => errataPage(collectErrata([fixtureNotebook()]));

  it("groups the errata by source document in the documents' order, with their titles", () => {
    const mdx = page();
    const seed000 = mdx.indexOf(`## Seed 000: ${SEED_TITLES['000']}`);
    const seed004 = mdx.indexOf('## Seed 004: notes on MSE, RMSE, cross-entropy and focal loss (untitled)');
    expect(seed000).toBeGreaterThan(0);
    expect(seed004).toBeGreaterThan(seed000);
    expect(mdx).not.toContain('## Seed 001');
    const inSeed004 = mdx.slice(seed004);
    expect(inSeed004.indexOf('**Erratum (seed 004).** The source says')).toBeLessThan(inSeed004.indexOf('**Erratum (seed 004).** A second one'));
    expect(mdx.slice(seed000, seed004)).toContain('**Erratum (seed 000), partly true.**');
  });

  it('links each entry to its notebook page and cell, and notebook links to their pages', () => {
    const mdx = page();
    expect(mdx).toContain('*In [Fixture · errata](/docs/notebooks/09-errata), cell 2.*');
    expect(mdx).toContain('*In [Fixture · errata](/docs/notebooks/09-errata), cell 6.*');
    expect(mdx).toContain('[notebook 05](/docs/notebooks/05-softmax#stable)');
  });

  it('keeps the math, escapes the rest and compiles as MDX with KaTeX, at the URL /docs/errata', async () => {
    const mdx = page();
    expect(mdx).toMatch(/^---\ntitle: Errata\nslug: \/errata\n/);
    expect(mdx).toContain('$-\\ln 0.7 = 0.357$');
    expect(mdx).toContain('\\{braces\\} \\< that');
    expect(mdx).toContain('**3 errata** from 1 notebook.');
    await expect(compileMdx(mdx)).resolves.toContain('katex-display');
  });
});

describe("the repository's notebooks", () => {
  it('hold only well-formed erratum cells, and their errata page compiles', async () => {
    const dir = join(__dirname, '..', '..', 'notebooks');
    const notebooks = readdirSync(dir)
      .filter((f) => /^\d+-.+\.ipynb$/.test(f)) // the pages docs:prepare makes
      .sort()
      .map((f): ErrataNotebook => {
        const nb = parseNotebook(readFileSync(join(dir, f), 'utf8'), `notebooks/${f}`);
        return { name: `notebooks/${f}`, title: firstHeading(nb) ?? f, href: `/docs/notebooks/${f.replace(/\.ipynb$/, '')}`, nb };
      });
    const errata = collectErrata(notebooks);
    expect(errata.length).toBeGreaterThan(0);
    await expect(compileMdx(errataPage(errata))).resolves.toBeTypeOf('string');
  });
});
