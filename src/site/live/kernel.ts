/**
 * The page's side of a kernel: one Web Worker (`<base>live/worker.js`, built by docs:prepare from
 * worker/main.ts) running the cells in one shared scope. Terminating it is Stop.
 */
import type { FromWorker, LiveError, ToWorker } from './protocol';

export type RunListener = (m: Exclude<FromWorker, { type: 'done' }>) => void;

export class Kernel {
  private readonly worker: Worker;
  private readonly runs = new Map<number, { listen: RunListener; done: (e: LiveError | null) => void }>();
  private nextId = 1;

  constructor(base: string, files: string[]) {
    this.worker = new Worker(`${base}live/worker.js`, { name: 'losslab live notebook' });
    this.worker.addEventListener('message', (event: MessageEvent<FromWorker>) => {
      const m = event.data;
      const run = this.runs.get(m.id);
      if (!run) return;
      if (m.type === 'done') {
        this.runs.delete(m.id);
        run.done(m.error);
      } else run.listen(m);
    });
    this.worker.addEventListener('error', (event: ErrorEvent) => {
      event.preventDefault();
      const error: LiveError = { ename: 'Error', evalue: `the live kernel failed: ${event.message || 'the worker did not load'}`, cell: null, line: null, code: null };
      for (const [id, run] of this.runs) {
        this.runs.delete(id);
        run.done(error);
      }
    });
    this.post({ type: 'init', base, files });
  }

  private post(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  /** Runs one cell; resolves with its error, or null. */
  run(cell: number, source: string, listen: RunListener): Promise<LiveError | null> {
    const id = this.nextId++;
    return new Promise((done) => {
      this.runs.set(id, { listen, done });
      this.post({ type: 'run', id, cell, source });
    });
  }

  terminate(): void {
    this.worker.terminate();
    this.runs.clear();
  }
}
