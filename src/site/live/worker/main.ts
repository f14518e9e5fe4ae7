/**
 * The kernel of a live notebook page, in a Web Worker: runs cells one at a time in one shared
 * scope (see transform.ts), sends their streams, displays and errors to the page. The page
 * stops a cell by terminating this worker; a new worker starts with an empty scope.
 */
import { inspect } from 'node-inspect-extracted';
import type { LiveError, RunMessage, ToWorker } from '../protocol';
import { post, setCurrentRun, stream } from './channel';
import { captureConsole } from './console';
import { preloadFiles } from './fs';
import { preloadMnist } from './mnist';
import { isMnist, loadModule } from './modules';
import { CellSyntaxError, transformCell } from './transform';

const scope: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
const sources = new Map<number, string[]>();
let base = '/';
let ready: Promise<void> = Promise.resolve();
let queue: Promise<void> = Promise.resolve();

captureConsole();

self.addEventListener('message', (event: MessageEvent<ToWorker>) => {
  const m = event.data;
  if (m.type === 'init') {
    base = m.base;
    ready = preloadFiles(m.base, m.files);
  } else if (m.type === 'run') queue = queue.then(() => run(m));
});

self.addEventListener('unhandledrejection', (e: PromiseRejectionEvent) => {
  stream('stderr', `Unhandled promise rejection: ${errorText(e.reason)}\n`);
});

async function run(m: RunMessage): Promise<void> {
  setCurrentRun(m.id);
  sources.set(m.cell, m.source.split('\n'));
  let error: LiveError | null = null;
  try {
    await ready;
    const cell = transformCell(m.source, m.cell);
    if (cell.imports.some((i) => isMnist(i.from))) await preloadMnist(base);
    for (const name of cell.names) if (!(name in scope)) scope[name] = undefined;
    const fn = (0, eval)(cell.code) as (s: object, load: (spec: string) => unknown) => Promise<unknown>;
    const value = await fn(scope, loadModule);
    if (value !== undefined) stream('stdout', inspect(value) + '\n');
  } catch (e) {
    error = locate(e, m.cell);
  }
  post({ type: 'done', id: m.id, error });
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** The error with the cell and the line of the TypeScript it came from. */
function locate(e: unknown, running: number): LiveError {
  const ename = e instanceof Error ? e.name : 'Error';
  const evalue = e instanceof Error ? e.message : typeof e === 'string' ? e : inspect(e);
  let cell: number | null = null;
  let line: number | null = null;
  if (e instanceof CellSyntaxError) [cell, line] = [running, e.line];
  else if (e instanceof Error && e.stack) {
    const frame = /live-notebook\/cell-(\d+)\.ts:(\d+):\d+/.exec(e.stack);
    if (frame) [cell, line] = [Number(frame[1]), Number(frame[2])];
  }
  const code = cell !== null && line !== null ? (sources.get(cell)?.[line - 1]?.trim() ?? null) : null;
  return { ename, evalue, cell: cell ?? running, line, code };
}
