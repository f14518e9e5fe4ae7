/**
 * Deterministic .ipynb: what nbformat writes (keys sorted, 1-space indent, multi-line strings as
 * lists of lines, trailing newline), with execution counts 1..n and no timing metadata, so two
 * runs of the same notebook give the same bytes.
 */

export type MultiLine = string | string[];

export type Output =
  | { output_type: 'stream'; name: string; text: string }
  | { output_type: 'display_data'; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { output_type: 'execute_result'; data: Record<string, unknown>; metadata: Record<string, unknown>; execution_count: number | null }
  | { output_type: 'error'; ename: string; evalue: string; traceback: string[] };

export interface Cell {
  cell_type: 'code' | 'markdown' | 'raw';
  id?: string;
  source: MultiLine;
  metadata: Record<string, unknown>;
  outputs?: unknown[];
  execution_count?: number | null;
  attachments?: unknown;
}

export interface Notebook {
  cells: Cell[];
  metadata: Record<string, unknown>;
  nbformat: number;
  nbformat_minor: number;
}

/** The kernel the notebooks name; `npm run kernel:install` registers it. */
export const KERNELSPEC = { display_name: 'TypeScript (losslab)', language: 'typescript', name: 'losslab-tslab' };

/** What tslab's kernel_info_reply reports (JupyterHandlerImpl.handleKernel), as Jupyter stores it. */
export const LANGUAGE_INFO = {
  codemirror_mode: { mode: 'typescript', name: 'javascript', typescript: true },
  file_extension: '.ts',
  mimetype: 'text/typescript',
  name: 'typescript',
  version: '3.7.2',
};

export function readNotebook(text: string): Notebook {
  const nb = JSON.parse(text) as Notebook;
  if (!nb || !Array.isArray(nb.cells) || nb.nbformat !== 4) throw new Error('not an nbformat 4 notebook');
  return nb;
}

export function joinSource(s: MultiLine | undefined): string {
  return Array.isArray(s) ? s.join('') : (s ?? '');
}

/** Python's `str.splitlines(True)` for `\n` line ends, as nbformat stores text. */
export function splitLines(s: string): string[] {
  return s.length === 0 ? [] : s.split(/(?<=\n)/);
}

export function codeSources(nb: Notebook): string[] {
  return nb.cells.filter((c) => c.cell_type === 'code').map((c) => joinSource(c.source));
}

const isJsonMime = (mime: string) => mime === 'application/json' || /^application\/.+\+json$/.test(mime);

function storeOutput(o: Output, count: number): Record<string, unknown> {
  if (o.output_type === 'stream') return { ...o, text: splitLines(o.text) };
  if (o.output_type === 'error') return { ...o };
  const data: Record<string, unknown> = {};
  for (const [mime, v] of Object.entries(o.data)) data[mime] = typeof v === 'string' && !isJsonMime(mime) ? splitLines(v) : v;
  return o.output_type === 'execute_result' ? { ...o, data, execution_count: count } : { ...o, data };
}

/** The notebook with fresh outputs for its code cells, counts 1..n, timing metadata gone. */
export function withOutputs(nb: Notebook, outputs: Output[][]): Notebook {
  let n = 0;
  const cells = nb.cells.map((cell) => {
    const { execution: _timing, ...metadata } = cell.metadata ?? {};
    const base = { ...cell, metadata, source: splitLines(joinSource(cell.source)) };
    if (cell.cell_type !== 'code') return base;
    const count = ++n;
    return { ...base, execution_count: count, outputs: (outputs[count - 1] ?? []).map((o) => storeOutput(o, count)) };
  });
  return { ...nb, cells, metadata: { ...nb.metadata, kernelspec: KERNELSPEC, language_info: LANGUAGE_INFO } };
}

/** nbformat's writer: `json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False) + "\n"`. */
export function serializeNotebook(nb: Notebook): string {
  return JSON.stringify(sortKeys(nb), null, 1) + '\n';
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = sortKeys((v as Record<string, unknown>)[k]);
    return out;
  }
  return v;
}
