/**
 * The live notebook components the generated notebook pages use (src/node/mdx/notebook.ts):
 * `LiveNotebookBar` (Run all, Stop, Reset, progress), `LiveCell` (a code cell's Run and Edit,
 * around its stored code) and `LiveOutput` (its stored outputs, or the live ones once it ran).
 * These are light; the editor, vega-embed and the worker (transpiler, core) load on first use.
 */
import CodeBlock from '@theme/CodeBlock';
import useBaseUrl from '@docusaurus/useBaseUrl';
import { lazy, Suspense, useCallback, useEffect, type JSX, type ReactNode } from 'react';
import { dropSession, getSession, useCell, usePage } from './session';
import styles from './styles.module.css';

const Editor = lazy(() => import('./Editor'));
const Outputs = lazy(() => import('./Outputs'));

export interface LiveNotebookBarProps {
  notebook: string;
  /** Repository paths of the data files the cells read, shipped under `live/files/`. */
  files?: string[];
  /** The notebook imports the MNIST loader: the live run uses the subset shipped with the site. */
  mnist?: { train: number; test: number };
}

export function LiveNotebookBar({ notebook, files = [], mnist }: LiveNotebookBarProps): JSX.Element {
  const session = getSession(notebook);
  const base = useBaseUrl('/');
  session.base = base;
  session.files = files;
  const page = usePage(session);
  useEffect(() => () => dropSession(notebook), [notebook]);
  const pct = page.progress ? Math.round((100 * page.progress.done) / Math.max(1, page.progress.total)) : 0;
  return (
    <div className={styles.bar} data-testid="live-bar">
      <div className={styles.barButtons}>
        <button type="button" className="button button--primary button--sm" data-testid="live-run-all" onClick={() => void session.runAll()}>
          ▶▶ Run all
        </button>
        <button type="button" className="button button--danger button--sm" data-testid="live-stop" disabled={page.running === null} onClick={() => session.stop()}>
          ■ Stop
        </button>
        <button type="button" className="button button--secondary button--sm" data-testid="live-reset" onClick={() => session.reset()}>
          ↺ Reset
        </button>
        <span className={styles.status} data-testid="live-status" data-running={page.running ?? ''}>
          {page.running !== null
            ? `running cell ${page.running}…`
            : page.kernel === 'ready'
              ? 'kernel ready: cells share one scope'
              : 'Live notebook: edit and run every code cell in your browser'}
        </span>
      </div>
      {page.progress ? (
        <div className={styles.progress} data-testid="live-progress">
          <progress max={page.progress.total} value={page.progress.done} />
          <span>
            {page.progress.label} {page.progress.done}/{page.progress.total} ({pct} %)
          </span>
        </div>
      ) : null}
      {mnist ? (
        <p className={styles.barNote} data-testid="live-mnist-note">
          A live run of this notebook trains on the MNIST subset shipped with the site: the first {mnist.train.toLocaleString('en')} training and {mnist.test.toLocaleString('en')}{' '}
          test digits (the outputs below were computed on the full 60 000 / 10 000), so its numbers differ from the stored ones.
        </p>
      ) : null}
    </div>
  );
}

export interface LiveCellProps {
  notebook: string;
  cell: number;
  source: string;
  /** The stored code, as the page renders it. */
  children: ReactNode;
}

export function LiveCell({ notebook, cell, source, children }: LiveCellProps): JSX.Element {
  const session = getSession(notebook);
  session.register(cell, source);
  const state = useCell(session, cell);
  const run = useCallback(() => void session.run(cell), [session, cell]);
  const change = useCallback((s: string) => session.setSource(cell, s), [session, cell]);
  const status = state?.status ?? 'stored';
  const edited = state !== undefined && state.source !== state.original;
  const code = state?.editing ? (
    <Suspense fallback={<CodeBlock language="ts">{state.source}</CodeBlock>}>
      <Editor value={state.source} onChange={change} onRun={run} />
    </Suspense>
  ) : edited ? (
    <CodeBlock language="ts">{state.source}</CodeBlock>
  ) : (
    children
  );
  return (
    <div className={styles.cell} data-testid="live-cell" data-cell={cell} data-status={status}>
      <div className={styles.cellBar}>
        <span className={styles.cellLabel}>[{status === 'running' ? '*' : status === 'queued' ? '…' : cell}]</span>
        <button type="button" className="button button--outline button--primary button--sm" data-testid="live-run" onClick={run}>
          ▶ Run
        </button>
        <button type="button" className="button button--outline button--secondary button--sm" data-testid="live-edit" onClick={() => session.edit(cell, !state?.editing)}>
          {state?.editing ? 'Done' : '✎ Edit'}
        </button>
        {edited ? <span className={styles.edited}>edited</span> : null}
      </div>
      {code}
    </div>
  );
}

export interface LiveOutputProps {
  notebook: string;
  cell: number;
  /** The executed notebook's outputs, shown until the cell runs live. */
  children?: ReactNode;
}

export function LiveOutput({ notebook, cell, children }: LiveOutputProps): JSX.Element {
  const state = useCell(getSession(notebook), cell);
  const live = state !== undefined && state.outputs !== null;
  return (
    <div data-testid="cell-output" data-cell={cell} data-live={String(live)}>
      {live ? (
        <Suspense fallback={<div className={styles.outputs}>…</div>}>
          <Outputs outputs={state.outputs} />
        </Suspense>
      ) : (
        children
      )}
    </div>
  );
}
