/**
 * An executed .ipynb -> one MDX page: markdown cells (with their math), code cells as
 * ```ts blocks, and every output kind the notebooks produce (see `outputs.ts`).
 * Anything it cannot render throws a `NotebookError` naming the notebook and the cell.
 */
import { escapeMarkdown, fence, jsString } from './escape';
import { renderOutputs, type Asset } from './outputs';

/** A conversion failure, located: `notebooks/01-mse.ipynb, cell 4 (code): ...`. */
export class NotebookError extends Error {
  constructor(
    readonly notebook: string,
    readonly cell: number | null,
    detail: string,
  ) {
    super(`${notebook}${cell === null ? '' : `, cell ${cell}`}: ${detail}`);
    this.name = 'NotebookError';
  }
}

export type Multiline = string | string[];

export interface Output {
  output_type: 'stream' | 'display_data' | 'execute_result' | 'error' | 'update_display_data';
  name?: string;
  text?: Multiline;
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

export interface Cell {
  cell_type: 'markdown' | 'code' | 'raw';
  source: Multiline;
  outputs?: Output[];
  /** Jupyter's cell metadata; `tags` marks e.g. an erratum cell (see errata.ts). */
  metadata?: { tags?: string[] };
}

export interface Notebook {
  cells: Cell[];
}

export interface ConvertedNotebook {
  /** The page, front matter included. */
  mdx: string;
  /** From the first markdown heading, else the file name. */
  title: string;
  /** Plot files the page links to, relative to the page's folder. */
  assets: Asset[];
  /** The MDX of each cell, for locating compile errors. */
  cells: { index: number; type: string; mdx: string }[];
  /** How many plots (SVG / PNG / Vega-Lite outputs) the page shows. */
  plots: number;
}

export interface ConvertOptions {
  /** How the notebook is named in messages and the page's footer, e.g. `notebooks/01-mse.ipynb`. */
  name: string;
  /** The page's file stem (`01-mse`): names its assets. */
  slug: string;
  /** Sidebar order. */
  position?: number;
  /** Make the page live (src/site/live): Run / Edit per code cell, Run all / Stop / Reset. */
  live?: LiveOptions;
}

export interface LiveOptions {
  /** Repository paths of the data files the cells read, shipped with the site. */
  files: string[];
  /** The digits of the MNIST subset shipped with the site, when the notebook imports its loader. */
  mnist?: { train: number; test: number };
}

/** Where the generated pages import the live components from. */
export const LIVE_COMPONENTS = '@site/src/site/live/components';

export function joinSource(s: Multiline): string {
  return Array.isArray(s) ? s.join('') : s;
}

/** Parses and checks the notebook JSON; throws `NotebookError` on anything unexpected. */
export function parseNotebook(json: string, name: string): Notebook {
  let nb: unknown;
  try {
    nb = JSON.parse(json);
  } catch (e) {
    throw new NotebookError(name, null, `not valid notebook JSON (${(e as Error).message})`);
  }
  if (!isObject(nb) || !Array.isArray(nb.cells)) throw new NotebookError(name, null, 'not a notebook: expected an object with a "cells" array (nbformat 4)');
  nb.cells.forEach((cell: unknown, k: number) => checkCell(cell, name, k + 1));
  return nb as unknown as Notebook;
}

function checkCell(cell: unknown, name: string, n: number): void {
  const fail = (detail: string) => {
    throw new NotebookError(name, n, detail);
  };
  if (!isObject(cell)) return fail('a cell must be an object');
  if (!['markdown', 'code', 'raw'].includes(cell.cell_type as string)) fail(`unknown cell_type ${JSON.stringify(cell.cell_type)} (expected markdown, code or raw)`);
  if (!isMultiline(cell.source)) fail('"source" must be a string or an array of strings');
  if (cell.cell_type !== 'code') return;
  if (cell.outputs === undefined) return;
  if (!Array.isArray(cell.outputs)) return fail('"outputs" must be an array');
  cell.outputs.forEach((o: unknown, k: number) => {
    if (!isObject(o)) fail(`output ${k + 1} must be an object`);
    const out = o as Record<string, unknown>;
    const type = out.output_type;
    if (type === 'stream') {
      if (!isMultiline(out.text)) fail(`output ${k + 1}: a stream needs "text"`);
    } else if (type === 'display_data' || type === 'execute_result' || type === 'update_display_data') {
      if (!isObject(out.data)) fail(`output ${k + 1}: ${type} needs a "data" object`);
    } else if (type === 'error') {
      if (out.traceback !== undefined && !Array.isArray(out.traceback)) fail(`output ${k + 1}: "traceback" must be an array`);
    } else fail(`output ${k + 1}: unknown output_type ${JSON.stringify(type)}`);
  });
}

/** Converts a parsed notebook; async because Vega-Lite specs are rendered to SVG. */
export async function convertNotebook(nb: Notebook, opts: ConvertOptions): Promise<ConvertedNotebook> {
  const title = firstHeading(nb) ?? opts.slug.replace(/^\d+-/, '').replace(/[-_]/g, ' ');
  const assets: Asset[] = [];
  const cells: ConvertedNotebook['cells'] = [];
  let plots = 0;
  const live = opts.live;
  const id = jsString(opts.slug);
  let barPlaced = false;
  for (let k = 0; k < nb.cells.length; k++) {
    const cell = nb.cells[k]!;
    const src = joinSource(cell.source);
    const parts: string[] = [];
    try {
      if (cell.cell_type === 'markdown') parts.push(rewriteNotebookLinks(escapeMarkdown(src)));
      if (cell.cell_type === 'code') {
        const rendered = await renderOutputs(cell.outputs ?? [], { slug: opts.slug, cell: k + 1 });
        if (live && src.trim()) {
          if (!barPlaced) parts.push(liveBar(id, live));
          barPlaced = true;
          parts.push(`<LiveCell notebook={${id}} cell={${k + 1}} source={${jsString(src)}}>\n\n${fence(src, 'ts')}\n\n</LiveCell>`);
          parts.push(`<LiveOutput notebook={${id}} cell={${k + 1}}>\n\n${rendered.blocks.filter((b) => b.trim()).join('\n\n')}\n\n</LiveOutput>`);
        } else {
          if (src.trim()) parts.push(fence(src, 'ts'));
          parts.push(...rendered.blocks);
        }
        assets.push(...rendered.assets);
        plots += rendered.plots;
      }
    } catch (e) {
      if (e instanceof NotebookError) throw e;
      throw new NotebookError(opts.name, k + 1, (e as Error).message);
    }
    const mdx = parts.filter((p) => p.trim()).join('\n\n');
    if (mdx) cells.push({ index: k + 1, type: cell.cell_type, mdx });
  }
  const front = [
    '---',
    `title: ${jsString(plainTitle(title))}`,
    `sidebar_label: ${jsString(plainTitle(title))}`,
    ...(opts.position === undefined ? [] : [`sidebar_position: ${opts.position}`]),
    'custom_edit_url: null',
    '---',
  ].join('\n');
  const notice = `{/* Generated from ${opts.name.replace(/\*\//g, '* /')} by src/node/mdx: edit the notebook, not this file. */}`;
  const hasH1 = cells.length > 0 && cells[0]!.type === 'markdown' && /^#\s/m.test(cells[0]!.mdx);
  const heading = hasH1 ? [] : [`# ${escapeMarkdown(title)}`];
  const footer = `<p className="ll-source-note">Rendered from <code>{${jsString(opts.name)}}</code>, executed with its outputs. The notebooks import the package from the repository as <code>./src/index</code>; in your own code that is <code>'losslab'</code>.</p>`;
  const imports = live ? [`import { LiveCell, LiveOutput, LiveNotebookBar } from ${jsString(LIVE_COMPONENTS)};`] : [];
  const mdx = [front, ...imports, notice, ...heading, ...cells.map((c) => c.mdx), footer].join('\n\n') + '\n';
  return { mdx, title, assets, cells, plots };
}

function liveBar(id: string, live: LiveOptions): string {
  const mnist = live.mnist ? ` mnist={{ train: ${live.mnist.train}, test: ${live.mnist.test} }}` : '';
  return `<LiveNotebookBar notebook={${id}} files={${JSON.stringify(live.files)}}${mnist} />`;
}

/** The first markdown heading of the notebook, without its `#`s. */
export function firstHeading(nb: Notebook): string | null {
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'markdown') continue;
    let inFence = false;
    for (const line of joinSource(cell.source).split('\n')) {
      if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
      const h = !inFence && /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
      if (h && h[1]) return h[1];
    }
  }
  return null;
}

/** A heading as plain text for titles and sidebar labels: no markdown marks, no math dollars. */
function plainTitle(t: string): string {
  return t
    .replace(/[`*_$]/g, '')
    .replace(/\\/g, '')
    .trim();
}

/** `[next](02-bce.ipynb#x)` -> `[next](./02-bce.mdx#x)`: links between notebooks follow the pages. */
function rewriteNotebookLinks(mdx: string): string {
  return mdx.replace(/\]\((?:\.\/)?([\w.-]+)\.ipynb(#[^)\s]*)?\)/g, (_m, stem: string, hash = '') => `](./${stem}.mdx${hash})`);
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isMultiline(x: unknown): x is Multiline {
  return typeof x === 'string' || (Array.isArray(x) && x.every((s) => typeof s === 'string'));
}
