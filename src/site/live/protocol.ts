/** The messages between a live notebook page and its kernel worker. */

/** A MIME bundle, as a notebook's display_data holds it. */
export type MimeBundle = Record<string, unknown>;

export interface InitMessage {
  type: 'init';
  /** The site's base URL, e.g. `/`: the worker fetches `live/...` under it. */
  base: string;
  /** Repository paths of the data files the page's cells read (`notebooks/data/x.json`). */
  files: string[];
}

export interface RunMessage {
  type: 'run';
  id: number;
  /** The cell's number in the notebook (1-based, as the page names it). */
  cell: number;
  source: string;
}

export type ToWorker = InitMessage | RunMessage;

/** A failed cell, located in the TypeScript the reader sees. */
export interface LiveError {
  ename: string;
  evalue: string;
  /** The cell whose code threw (may be an earlier cell that defined the function), and the line. */
  cell: number | null;
  line: number | null;
  /** The line of source, trimmed. */
  code: string | null;
}

export type FromWorker =
  | { type: 'stream'; id: number; name: 'stdout' | 'stderr'; text: string }
  | { type: 'display'; id: number; data: MimeBundle }
  | { type: 'progress'; id: number; done: number; total: number; label: string }
  | { type: 'done'; id: number; error: LiveError | null };

export const VEGALITE_MIME = 'application/vnd.vegalite.v5+json';
