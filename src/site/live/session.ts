/**
 * The live state of one notebook page: every code cell's source and live outputs, the kernel,
 * and what Run, Run all, Stop and Reset do. Components subscribe with `useCell` / `usePage`.
 */
import { useSyncExternalStore } from 'react';
import { Kernel } from './kernel';
import type { LiveError, MimeBundle } from './protocol';

export type LiveOutput =
  { kind: 'stream'; name: 'stdout' | 'stderr'; text: string } | { kind: 'display'; data: MimeBundle } | { kind: 'error'; error: LiveError } | { kind: 'note'; text: string };

export type CellStatus = 'stored' | 'queued' | 'running' | 'done' | 'error' | 'stopped';

export interface CellState {
  readonly cell: number;
  readonly original: string;
  readonly source: string;
  readonly editing: boolean;
  readonly status: CellStatus;
  /** Null: the page shows the stored outputs of the executed notebook. */
  readonly outputs: readonly LiveOutput[] | null;
}

export interface PageState {
  readonly running: number | null;
  readonly progress: { done: number; total: number; label: string } | null;
  readonly kernel: 'none' | 'ready';
  /** Set on the first Run or Edit: the parts that load then. */
  readonly started: boolean;
}

export const RESTART_NOTE =
  'The kernel was restarted (after Stop or Reset): this run starts with an empty scope, so names defined by cells run before are gone. Run all runs every cell again.';

export class Session {
  private readonly cells = new Map<number, CellState>();
  private readonly listeners = new Set<() => void>();
  private kernel: Kernel | null = null;
  private hadKernel = false;
  private queue: number[] = [];
  private runningAll = false;
  page: PageState = { running: null, progress: null, kernel: 'none', started: false };
  base = '/';
  files: string[] = [];

  register(cell: number, source: string): void {
    if (!this.cells.has(cell)) this.cells.set(cell, { cell, original: source, source, editing: false, status: 'stored', outputs: null });
  }

  cell(cell: number): CellState | undefined {
    return this.cells.get(cell);
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private emit(): void {
    for (const l of this.listeners) l();
  }

  private update(cell: number, change: Partial<CellState>): void {
    const c = this.cells.get(cell);
    if (c) this.cells.set(cell, { ...c, ...change });
    this.emit();
  }

  private setPage(change: Partial<PageState>): void {
    this.page = { ...this.page, ...change };
    this.emit();
  }

  private append(cell: number, out: LiveOutput): void {
    const c = this.cells.get(cell);
    if (!c) return;
    const outputs = c.outputs ?? [];
    const last = outputs[outputs.length - 1];
    // consecutive writes to one stream read as one block, as in Jupyter
    if (out.kind === 'stream' && last?.kind === 'stream' && last.name === out.name)
      this.update(cell, { outputs: [...outputs.slice(0, -1), { ...last, text: last.text + out.text }] });
    else this.update(cell, { outputs: [...outputs, out] });
  }

  edit(cell: number, editing = true): void {
    this.setPage({ started: true });
    this.update(cell, { editing });
  }

  setSource(cell: number, source: string): void {
    this.update(cell, { source });
  }

  /** Queues one cell; resolves when it has run, with whether it succeeded. */
  run(cell: number): Promise<boolean> {
    const c = this.cells.get(cell);
    if (!c) return Promise.resolve(false);
    this.setPage({ started: true });
    this.update(cell, { status: 'queued' });
    this.queue.push(cell);
    return this.drain(cell);
  }

  private pending = new Map<number, (ok: boolean) => void>();
  private draining = false;

  private drain(cell: number): Promise<boolean> {
    const result = new Promise<boolean>((done) => this.pending.set(cell, done));
    if (!this.draining) void this.loop();
    return result;
  }

  private async loop(): Promise<void> {
    this.draining = true;
    while (this.queue.length) {
      const cell = this.queue.shift()!;
      const ok = await this.execute(cell);
      this.pending.get(cell)?.(ok);
      this.pending.delete(cell);
    }
    this.draining = false;
  }

  private async execute(cell: number): Promise<boolean> {
    const c = this.cells.get(cell)!;
    const outputs: LiveOutput[] = [];
    if (!this.kernel) {
      if (this.hadKernel) outputs.push({ kind: 'note', text: RESTART_NOTE });
      this.kernel = new Kernel(this.base, this.files);
      this.hadKernel = true;
      this.setPage({ kernel: 'ready' });
    }
    const kernel = this.kernel;
    this.update(cell, { status: 'running', outputs });
    this.setPage({ running: cell, progress: null });
    const error = await kernel.run(cell, c.source, (m) => {
      if (m.type === 'stream') this.append(cell, { kind: 'stream', name: m.name, text: m.text });
      else if (m.type === 'display') this.append(cell, { kind: 'display', data: m.data });
      else this.setPage({ progress: { done: m.done, total: m.total, label: m.label } });
    });
    if (this.kernel !== kernel) return false; // stopped meanwhile
    if (error) this.append(cell, { kind: 'error', error });
    this.update(cell, { status: error ? 'error' : 'done' });
    this.setPage({ running: null, progress: null });
    return !error;
  }

  /** Runs every code cell in order, stopping at the first that fails (as Jupyter's Run All). */
  async runAll(): Promise<void> {
    if (this.runningAll) return;
    this.runningAll = true;
    try {
      for (const cell of Array.from(this.cells.keys()).sort((a, b) => a - b)) {
        if (!this.runningAll || !(await this.run(cell))) break;
      }
    } finally {
      this.runningAll = false;
    }
  }

  /** Terminates the worker (a running cell stops at once); the next Run starts a new one. */
  stop(): void {
    this.runningAll = false;
    const running = this.page.running;
    for (const cell of this.queue) this.update(cell, { status: this.cells.get(cell)!.outputs ? 'done' : 'stored' });
    this.queue = [];
    if (this.kernel) this.kernel.terminate();
    this.kernel = null;
    if (running !== null) {
      this.append(running, { kind: 'note', text: `Stopped: the kernel running cell ${running} was terminated, and its scope with it.` });
      this.update(running, { status: 'stopped' });
    }
    for (const done of this.pending.values()) done(false);
    this.pending.clear();
    this.draining = false;
    this.setPage({ running: null, progress: null, kernel: 'none' });
  }

  /** Stops the kernel and brings back every cell's stored source and outputs. */
  reset(): void {
    this.stop();
    for (const c of this.cells.values()) this.cells.set(c.cell, { ...c, source: c.original, editing: false, status: 'stored', outputs: null });
    this.emit();
  }

  dispose(): void {
    if (this.kernel) this.kernel.terminate();
    this.kernel = null;
  }
}

const sessions = new Map<string, Session>();

export function getSession(notebook: string): Session {
  let s = sessions.get(notebook);
  if (!s) sessions.set(notebook, (s = new Session()));
  return s;
}

export function dropSession(notebook: string): void {
  sessions.get(notebook)?.dispose();
  sessions.delete(notebook);
}

export function useCell(session: Session, cell: number): CellState | undefined {
  return useSyncExternalStore(
    session.subscribe,
    () => session.cell(cell),
    () => session.cell(cell),
  );
}

export function usePage(session: Session): PageState {
  return useSyncExternalStore(
    session.subscribe,
    () => session.page,
    () => session.page,
  );
}
