/**
 * The notebooks' erratum cells -> the errata page (docs/generated/errata.mdx).
 *
 * An erratum is one markdown cell tagged `erratum` whose text starts with a bold lead naming the
 * source document, `**Erratum (seed 004).**` or `**Erratum (seed 004), partly true.**`. The page
 * collects every such cell of every notebook in file order, groups them by source document (in
 * the documents' order, with their titles) and links each entry to its notebook's page, so the
 * errata cannot drift from the notebooks. A malformed erratum throws a `NotebookError` naming the
 * notebook and the cell.
 */
import { escapeMarkdown } from './escape';
import { joinSource, NotebookError, type Notebook } from './notebook';

/** The bold lead every erratum cell starts with; group 1 is the source document's id. */
export const ERRATUM_LEAD = /^\*\*Erratum \(seed (\d{3})\)[^*]*\*\*/;

/** The cell tag that marks an erratum. */
export const ERRATUM_TAG = 'erratum';

/** The source documents (`seeds/000_*.txt` ...) as the page names them. */
export const SEED_TITLES: Record<string, string> = {
  '000': '"Neural Network 손실함수" (Surf in Data, velog, 2022)',
  '001': '"딥러닝에서 손실함수(loss function)란?" (tistory, 2023)',
  '002': '"[DL] 손실 함수" (fragrance_0, velog, 2023)',
  '003': '"손실 함수(Loss Function)에 대해 알아보자" (2022)',
  '004': 'notes on MSE, RMSE, cross-entropy and focal loss (untitled)',
};

/** One notebook as the generator reads it. */
export interface ErrataNotebook {
  /** How messages name it, e.g. `notebooks/02-regression-losses.ipynb`. */
  name: string;
  /** The page title, e.g. `02 · Regression losses: MAE, MSE, RMSE, SSE`. */
  title: string;
  /** The page's URL, e.g. `/docs/notebooks/02-regression-losses`. */
  href: string;
  nb: Notebook;
}

export interface Erratum {
  seed: string;
  /** The cell's markdown, lead included. */
  text: string;
  notebook: string;
  title: string;
  href: string;
  /** 1-based, as NotebookError counts. */
  cell: number;
}

/** Every erratum cell of `notebooks`, in order; throws on a malformed or untagged one. */
export function collectErrata(notebooks: ErrataNotebook[]): Erratum[] {
  const found: Erratum[] = [];
  for (const { name, title, href, nb } of notebooks) {
    nb.cells.forEach((cell, k) => {
      const text = joinSource(cell.source).trim();
      const fail = (detail: string) => {
        throw new NotebookError(name, k + 1, detail);
      };
      const tags: unknown = cell.metadata?.tags ?? [];
      if (!Array.isArray(tags) || !tags.every((t) => typeof t === 'string')) fail(`metadata.tags must be an array of strings, got ${JSON.stringify(tags)}`);
      const tagged = (tags as string[]).includes(ERRATUM_TAG);
      const leads = text.match(/\*\*Erratum \(seed/g)?.length ?? 0;
      if (!tagged) {
        if (leads)
          fail(
            `the text has an "**Erratum (seed ...)" lead but the cell is not tagged "${ERRATUM_TAG}": tag it (and give the erratum a cell of its own) so the errata page lists it`,
          );
        return;
      }
      if (cell.cell_type !== 'markdown') fail(`a cell tagged "${ERRATUM_TAG}" must be a markdown cell, got a ${cell.cell_type} cell`);
      const lead = ERRATUM_LEAD.exec(text);
      if (!lead) fail(`an erratum cell must start with a bold lead such as "**Erratum (seed 004).**", got ${JSON.stringify(text.slice(0, 40))}`);
      if (leads > 1) fail(`an erratum cell holds one erratum, got ${leads} "**Erratum (seed ...)" leads: split the cell`);
      const seed = lead![1]!;
      if (!(seed in SEED_TITLES)) fail(`erratum for seed ${seed}, but the source documents are seeds ${Object.keys(SEED_TITLES).join(', ')}`);
      found.push({ seed, text, notebook: name, title, href, cell: k + 1 });
    });
  }
  return found;
}

/** `[05](05-x.ipynb#a)` in a notebook cell -> the notebook page's URL, as seen from the errata page. */
function notebookLinks(mdx: string): string {
  return mdx.replace(/\]\((?:\.\/)?([\w.-]+)\.ipynb(#[^)\s]*)?\)/g, (_m, stem: string, hash = '') => `](/docs/notebooks/${stem}${hash})`);
}

/** The errata page: an introduction, then one section per source document with its errata. */
export function errataPage(errata: Erratum[]): string {
  const sections: string[] = [];
  for (const seed of Object.keys(SEED_TITLES)) {
    const entries = errata.filter((e) => e.seed === seed);
    if (!entries.length) continue;
    sections.push(`## Seed ${seed}: ${escapeMarkdown(SEED_TITLES[seed]!)}`);
    for (const e of entries) {
      sections.push(notebookLinks(escapeMarkdown(e.text)));
      sections.push(`*In [${escapeMarkdown(e.title).replace(/[[\]]/g, '\\$&')}](${e.href}), cell ${e.cell}.*`);
    }
  }
  const notebooks = new Set(errata.map((e) => e.notebook)).size;
  return (
    [
      ['---', 'title: Errata', 'slug: /errata', 'description: Where the source documents are wrong, and what is right.', 'custom_edit_url: null', '---'].join('\n'),
      "{/* Generated from the notebooks' erratum cells by src/node/mdx/errata.ts: edit the notebooks, not this file. */}",
      '# Errata',
      "The notebooks reproduce every worked example of five source documents (Korean blog posts and notes on loss functions, kept as `seeds/000` to `seeds/004`). Reproducing them means computing exactly what each source computed, so where a source is wrong the notebook pins the source's own number and an erratum cell beside it says what is wrong and what is right, with the numbers. This page collects those cells, grouped by source document, each linked to its notebook.",
      `**${errata.length} errata** from ${notebooks} notebook${notebooks === 1 ? '' : 's'}. Notation: $\\hat y$ is the prediction, $y$ the target, $N$ the number of samples, $C$ the number of classes.`,
      ...sections,
    ].join('\n\n') + '\n'
  );
}
