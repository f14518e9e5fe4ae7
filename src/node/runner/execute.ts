/**
 * Runs the code cells of one notebook with tslab's own engine, in-process:
 * `createExecutor` (tslab/dist/executor) + `JupyterHandlerImpl.handleExecute` per cell, the same
 * path the tslab kernel takes for an execute_request, so outputs match what Jupyter stores.
 *
 * `runNotebook()` (used by the CLI) runs this file as a child process per notebook: every notebook
 * gets fresh globals, and a cell past its time limit, even a synchronous loop, can be stopped by
 * killing the child. The child reports over IPC; the notebook file itself is never written here.
 *
 * The engine's cwd is the project root, not the notebook's folder: tslab 1.0.22 compiles only
 * files under its cwd (rootDir = cwd), so `../src` from notebooks/ cannot compile. Notebooks
 * import `./src/index` and `./src/node/notebook/index`; the kernelspec starts tslab there too.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import type { Converter } from 'tslab/dist/converter';
import { codeSources, readNotebook, type Output } from './normalize';

/** The project root: the engine's cwd and module root, as in the losslab-tslab kernel. */
export const PROJECT_ROOT = path.resolve(__dirname, '../../..');

export interface CellFailure {
  /** 0-based index among code cells. */
  cell: number;
  /** `Error: message` (first line of the stack) or the type checker's message. */
  message: string;
  /** 1-based line in the cell's source, when known, and its text. */
  line?: number;
  lineText?: string;
  /** Everything the cell wrote, for context. */
  stderr: string;
  timedOut?: boolean;
}

export type ExecuteResult = { ok: true; outputs: Output[][] } | { ok: false; failure: CellFailure; outputs: Output[][] };

type DisplayMsg = { data: Record<string, unknown>; metadata?: Record<string, unknown>; transient?: { display_id?: string } };

/**
 * tslab's compiler and engine, loaded when cells run rather than when this module is imported:
 * the CLI's process only forks the children and never needs them. Typed by tslab's declarations.
 */
function loadTslab() {
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, see above */
  return {
    ts: require('@tslab/typescript-for-tslab') as typeof import('@tslab/typescript-for-tslab'),
    converter: require('tslab/dist/converter') as typeof import('tslab/dist/converter'),
    executor: require('tslab/dist/executor') as typeof import('tslab/dist/executor'),
    jupyter: require('tslab/dist/jupyter') as typeof import('tslab/dist/jupyter'),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

/** Executes `sources` in order in this process; stops at the first failing cell. */
export async function executeCells(sources: string[], onCellStart: (i: number) => Promise<void> | void = () => {}): Promise<ExecuteResult> {
  const { ts, converter, executor: tslabExecutor, jupyter } = loadTslab();
  // A run is a snapshot: don't let edits made meanwhile trigger tslab's rebuild watchers.
  ts.sys.watchFile = () => ({ close() {} });
  ts.sys.watchDirectory = () => ({ close() {} });

  let lastCode: string;
  const runInThisContext = vm.runInThisContext;
  vm.runInThisContext = function (code: string, options?: vm.RunningScriptOptions | string) {
    lastCode = code;
    return runInThisContext.call(vm, code, options) as unknown;
  } as typeof vm.runInThisContext;

  let node: Converter | undefined;
  const convs = {
    get node() {
      return (node ??= converter.createConverter({ isJS: false, isBrowser: false }));
    },
    get browser(): never {
      throw new Error('browser cells are not supported by the runner');
    },
    close() {
      node?.close();
    },
  };
  let thrown: unknown;
  const diagnostics: string[] = [];
  const executor = tslabExecutor.createExecutor(PROJECT_ROOT, convs, {
    log: console.log,
    error: (...args: unknown[]) => {
      if (args[0] === '%s%d:%d - %s') diagnostics.push(`${String(args[1])}${String(args[2])}:${String(args[3])} - ${String(args[4])}`);
      else thrown ??= args[0];
      console.error(...args);
    },
  });
  const handler = new jupyter.JupyterHandlerImpl(executor, false);
  void convs.node; // warm the converter before the first cell's clock starts, as tslab's kernel does

  const outputs: Output[][] = [];
  const displays = new Map<string, Output[]>();
  for (let i = 0; i < sources.length; i++) {
    await onCellStart(i);
    const cell: Output[] = [];
    outputs.push(cell);
    let open = true; // writes after the cell returned are dropped, as Jupyter's clients do
    let stderr = '';
    thrown = undefined;
    diagnostics.length = 0;
    lastCode = '';
    const writeStream = (name: string, text: string) => {
      if (!open) return;
      if (name === 'stderr') stderr += text;
      const last = cell[cell.length - 1];
      if (last && last.output_type === 'stream' && last.name === name) last.text += text;
      else cell.push({ output_type: 'stream', name, text });
    };
    const writeDisplayData = (msg: DisplayMsg, update: boolean) => {
      const out: Output = { output_type: 'display_data', data: encodeData(msg.data), metadata: msg.metadata ?? {} };
      const id = msg.transient?.display_id;
      if (update && id) {
        for (const o of displays.get(id) ?? []) Object.assign(o, { data: out.data, metadata: out.metadata });
        return;
      }
      if (!open) return;
      cell.push(out);
      if (id) displays.set(id, [...(displays.get(id) ?? []), out]);
    };
    const reply = await handler.handleExecute({ code: sources[i] ?? '', silent: false, store_history: true, user_expressions: {} }, writeStream, writeDisplayData);
    open = false;
    if (reply.status !== 'ok') {
      const failure = describeFailure(i, sources[i] ?? '', thrown, diagnostics, lastCode, stderr);
      executor.close();
      return { ok: false, failure, outputs };
    }
  }
  executor.close();
  return { ok: true, outputs };
}

/** display_data values are strings or JSON; bytes become base64 as in `tslab.display.png`. */
function encodeData(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) out[k] = v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v;
  return out;
}

function describeFailure(cell: number, source: string, thrown: unknown, diagnostics: string[], compiled: string, stderr: string): CellFailure {
  const lines = source.split('\n');
  if (diagnostics.length > 0) {
    const m = /^(\d+):\d+ - /.exec(diagnostics[0] ?? '');
    const line = m ? Number(m[1]) : undefined;
    return { cell, message: diagnostics.join('\n'), line, lineText: line ? lines[line - 1] : undefined, stderr };
  }
  const message = thrown instanceof Error ? `${thrown.name}: ${thrown.message}` : `thrown: ${thrown === undefined || thrown === null ? stderr.trim() : describeValue(thrown)}`;
  const stack = thrown instanceof Error ? (thrown.stack ?? '') : '';
  const frame = /evalmachine\.<anonymous>:(\d+):\d+/.exec(stack);
  const line = frame ? sourceLineOf(compiled.split('\n'), Number(frame[1]) - 1, lines) : undefined;
  return { cell, message, line, lineText: line ? lines[line - 1] : undefined, stderr };
}

/** A thrown non-Error as text: a string as it is, anything else as JSON (or its type when it has none). */
function describeValue(v: unknown): string {
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v) ?? typeof v;
  } catch {
    return typeof v;
  }
}

/**
 * Maps a line of tslab's compiled cell back to the cell's source. tslab emits no source map, but
 * TypeScript's output keeps statement order and text, give or take `exports.x =` prefixes,
 * `(0, mod_1.f)` call forms and whitespace: match normalised text, by occurrence.
 */
export function sourceLineOf(compiled: string[], index: number, source: string[]): number | undefined {
  const norm = (s: string) =>
    s
      .replace(/\(0,\s*\w+_\d+\.(\w+)\)/g, '$1')
      .replace(/\b\w+_\d+\.(\w+)/g, '$1')
      .replace(/^\s*exports\.\w+\s*=\s*/, '')
      .replace(/^\s*export\s+/, '')
      .replace(/\s+/g, '')
      .replace(/;$/, '');
  const target = norm(compiled[index] ?? '');
  if (target.length === 0) return undefined;
  const nth = compiled.slice(0, index).filter((l) => norm(l) === target).length;
  const exact = source.map((l, i) => (norm(l) === target ? i : -1)).filter((i) => i >= 0);
  if (exact.length > 0) return exact[Math.min(nth, exact.length - 1)]! + 1;
  const partial = source.findIndex((l) => {
    const n = norm(l);
    return n.length > 2 && (target.includes(n) || n.includes(target));
  });
  return partial >= 0 ? partial + 1 : undefined;
}

/** Messages from the child to the CLI. */
export type ChildMessage = { type: 'cell'; index: number; total: number } | { type: 'result'; result: ExecuteResult };

export interface RunOptions {
  /** Per-cell limit in milliseconds. */
  timeoutMs: number;
  onCellStart?: (index: number, total: number) => void;
}

/** Runs one notebook in a child process; resolves with its outputs or a failure. */
export function runNotebook(file: string, options: RunOptions): Promise<ExecuteResult> {
  const sources = codeSources(readNotebook(readFileSync(file, 'utf8')));
  return new Promise((resolve) => {
    const child = fork(__filename, [path.resolve(file)], {
      cwd: PROJECT_ROOT,
      execArgv: ['--import', pathToFileURL(require.resolve('tsx')).href],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    let current = -1;
    let timer: NodeJS.Timeout | undefined;
    let log = '';
    let settled = false;
    const done = (r: ExecuteResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve(r);
    };
    const fail = (message: string, timedOut = false) =>
      done({
        ok: false,
        outputs: [],
        failure: { cell: Math.max(current, 0), message, stderr: log, timedOut },
      });
    child.stdout?.on('data', (d) => {
      log += d;
    });
    child.stderr?.on('data', (d) => {
      log += d;
    });
    child.on('message', (m: ChildMessage) => {
      if (m.type === 'cell') {
        current = m.index;
        options.onCellStart?.(m.index, m.total);
        clearTimeout(timer);
        timer = setTimeout(() => fail(`timed out after ${options.timeoutMs / 1000} s (per-cell limit; --timeout or LOSSLAB_CELL_TIMEOUT)`, true), options.timeoutMs);
      } else done(m.result);
    });
    child.on('exit', (code, signal) => fail(`the notebook process exited early (${signal ?? `code ${code}`})${log ? `:\n${log.trim()}` : ''}`));
    if (sources.length === 0) done({ ok: true, outputs: [] });
  });
}

async function childMain(file: string): Promise<void> {
  const send = (m: ChildMessage) => new Promise<void>((res) => process.send?.(m, () => res()));
  const sources = codeSources(readNotebook(readFileSync(file, 'utf8')));
  // A throw from a callback after its cell returned would otherwise kill us silently.
  process.on('uncaughtException', (e) => console.error('UncaughtException:', e));
  process.on('unhandledRejection', (e) => console.error('UnhandledPromiseRejection:', e));
  const result = await executeCells(sources, (i) => send({ type: 'cell', index: i, total: sources.length }));
  await send({ type: 'result', result });
  process.exit(0);
}

if (require.main === module) void childMain(process.argv[2] ?? '');
