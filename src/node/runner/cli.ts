/**
 * `npm run notebooks [-- FILES] [--timeout SECONDS] [--report FILE] [--out-dir DIR]`
 *
 * Executes notebooks in place (default: notebooks/*.ipynb in name order) with tslab's engine,
 * headless, one child process per notebook; prints progress to stderr and the reproduction
 * table to stdout; writes reproduction.json. A notebook file is rewritten (atomically) only
 * when all its cells ran; a failing cell, a cell past the limit or a failing check makes the
 * exit status 1 (2 for bad arguments).
 *
 * With `--out-dir DIR` nothing is written in place: each executed notebook goes to DIR under its
 * own name, and the report to DIR/reproduction.json, with the same bytes an in-place run would
 * write (the report still names the notebooks where they are, e.g. notebooks/01-....ipynb). The
 * engine's cwd stays the project root, so the notebooks' `./src/index` imports resolve as usual.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { collectChecks, type CollectedCheck } from './collect';
import { PROJECT_ROOT, runNotebook, type CellFailure } from './execute';
import { readNotebook, serializeNotebook, withOutputs } from './normalize';
import { formatTable } from './table';

/** Saved before anything can replace process.stderr.write (tslab does, while a cell runs). */
const writeErr = process.stderr.write.bind(process.stderr);
const writeOut = process.stdout.write.bind(process.stdout);

export const DEFAULT_TIMEOUT_S = 600;
const NOTEBOOKS_DIR = path.join(PROJECT_ROOT, 'notebooks');
const DEFAULT_REPORT = path.join(PROJECT_ROOT, 'reproduction.json');

const USAGE = `usage: npm run notebooks [-- [FILES...] [--timeout SECONDS] [--report FILE] [--out-dir DIR]]
  FILES      notebooks to execute in place (default: notebooks/*.ipynb, in name order)
  --timeout  per-cell limit in seconds (default ${DEFAULT_TIMEOUT_S}, or LOSSLAB_CELL_TIMEOUT)
  --report   where to write the checks (default reproduction.json, for notebooks/ only)
  --out-dir  write the executed notebooks (and, by default, the report) into DIR, not in place`;

interface Args {
  files: string[];
  timeoutS: number;
  report?: string;
  outDir?: string;
}

export function parseArgs(argv: string[], env = process.env): Args {
  const args: Args = { files: [], timeoutS: Number(env.LOSSLAB_CELL_TIMEOUT ?? DEFAULT_TIMEOUT_S) };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    const [flag, inline] = a.split(/=(.*)/s) as [string, string | undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--timeout') args.timeoutS = Number(value());
    else if (flag === '--report') args.report = value();
    else if (flag === '--out-dir') args.outDir = value();
    else if (a === '--help' || a === '-h') throw new UsageError('');
    else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else args.files.push(a);
  }
  if (!(args.timeoutS > 0)) throw new UsageError('--timeout must be a positive number of seconds');
  if (args.outDir === '') throw new UsageError('--out-dir needs a directory');
  return args;
}

class UsageError extends Error {}

/** Runs the command; resolves with the exit status. */
export async function main(argv: string[]): Promise<number> {
  let args: Args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    writeErr(`${e.message ? e.message + '\n' : ''}${USAGE}\n`);
    return e.message ? 2 : 0;
  }
  const all = args.files.length === 0;
  const files = all ? listNotebooks() : args.files.map((f) => path.resolve(f));
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length) {
    writeErr(`no such notebook: ${missing.join(', ')}\n`);
    return 2;
  }
  if (files.length === 0) writeErr('No notebooks in notebooks/.\n');
  const outDir = args.outDir === undefined ? undefined : path.resolve(args.outDir);
  if (outDir) {
    const names = files.map((f) => path.basename(f));
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice) {
      writeErr(`two notebooks named ${twice} cannot both go to --out-dir ${args.outDir}\n`);
      return 2;
    }
    mkdirSync(outDir, { recursive: true });
  }

  const checks: CollectedCheck[] = [];
  const ran: string[] = [];
  const failures: string[] = [];
  for (const [i, file] of files.entries()) {
    const name = displayPath(file);
    const tag = `[${i + 1}/${files.length}] ${name}`;
    const t0 = Date.now();
    const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
    const before = readFileSync(file);
    const nb = readNotebook(before.toString('utf8'));
    const result = await runNotebook(file, {
      timeoutMs: args.timeoutS * 1000,
      onCellStart: (cell, total) => writeErr(`${tag}  cell ${cell + 1}/${total}  ${elapsed()}\n`),
    });
    if (!result.ok) {
      const message = describe(name, nb, result.failure);
      failures.push(name);
      writeErr(`${tag}  FAILED  ${elapsed()}\n${message}\n`);
      continue;
    }
    const executed = withOutputs(nb, result.outputs);
    const text = serializeNotebook(executed);
    const changed = text !== before.toString('utf8');
    const target = outDir ? path.join(outDir, path.basename(file)) : file;
    if (outDir || changed) writeAtomic(target, text);
    const found = collectChecks(executed, name);
    checks.push(...found);
    ran.push(name);
    const written = outDir ? `${changed ? 'changed' : 'unchanged'}, written to ${displayPath(target)}` : changed ? 'written' : 'unchanged';
    writeErr(`${tag}  ok  ${elapsed()}  ${result.outputs.length} cells, ${found.length} checks, ${written}\n`);
  }

  writeOut(`\n${formatTable(checks)}\n`);
  // reproduction.json is about notebooks/; a report written elsewhere covers every notebook run
  const elsewhere = args.report !== undefined || outDir !== undefined;
  const reportFile = args.report ? path.resolve(args.report) : outDir ? path.join(outDir, 'reproduction.json') : DEFAULT_REPORT;
  const inReport = (nb: string) => elsewhere || nb.startsWith('notebooks/');
  if (ran.some(inReport) || (all && !elsewhere)) {
    writeReport(
      reportFile,
      checks.filter((c) => inReport(c.notebook)),
      ran.filter(inReport),
      all,
    );
    writeErr(`Wrote ${displayPath(reportFile)}\n`);
  }
  const failedChecks = checks.filter((c) => !c.pass);
  for (const c of failedChecks) writeErr(`check failed: ${c.notebook} cell ${c.cell}: ${c.example} (seed ${c.source})\n`);
  if (failures.length) writeErr(`\n${failures.length} of ${files.length} notebook(s) failed (details above): ${failures.join(', ')}\n`);
  return failures.length || failedChecks.length ? 1 : 0;
}

function listNotebooks(): string[] {
  if (!existsSync(NOTEBOOKS_DIR)) return [];
  return readdirSync(NOTEBOOKS_DIR)
    .filter((f) => f.endsWith('.ipynb'))
    .sort()
    .map((f) => path.join(NOTEBOOKS_DIR, f));
}

/** Project-relative POSIX path when inside the project (what reports store), else absolute. */
export function displayPath(file: string): string {
  const rel = path.relative(PROJECT_ROOT, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
}

function describe(name: string, nb: ReturnType<typeof readNotebook>, f: CellFailure): string {
  const code = nb.cells.filter((c) => c.cell_type === 'code');
  const source = [code[f.cell]?.source ?? ''].flat().join('');
  const where = f.line !== undefined ? `at line ${f.line}: ${(f.lineText ?? '').trim()}` : f.timedOut ? `(the cell begins: ${source.split('\n')[0]?.trim()})` : '(line unknown)';
  const head = `✗ ${name}: cell ${f.cell + 1}/${code.length} ${f.timedOut ? 'timed out' : 'failed'} ${where}`;
  const detail = f.message
    .split('\n')
    .map((l) => `    ${l}`)
    .join('\n');
  return `${head}\n${detail}\n    (${name} was left unchanged)`;
}

function writeAtomic(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/**
 * Merges this run's checks into the report: entries of notebooks run now are replaced, entries
 * of other notebooks kept while their file exists (a full run of notebooks/ starts fresh).
 */
function writeReport(file: string, checks: CollectedCheck[], ran: string[], fresh: boolean): void {
  let kept: CollectedCheck[] = [];
  if (!fresh && existsSync(file)) {
    const old = JSON.parse(readFileSync(file, 'utf8')) as { checks?: CollectedCheck[] };
    kept = (old.checks ?? []).filter((c) => !ran.includes(c.notebook) && existsSync(path.resolve(PROJECT_ROOT, c.notebook)));
  }
  const all = [...kept, ...checks].sort((a, b) => (a.notebook < b.notebook ? -1 : a.notebook > b.notebook ? 1 : 0));
  const passed = all.filter((c) => c.pass).length;
  const report = {
    summary: { notebooks: new Set(all.map((c) => c.notebook)).size, checks: all.length, passed, failed: all.length - passed },
    checks: all.map((c) => ({
      notebook: c.notebook,
      cell: c.cell,
      example: c.example,
      kind: c.kind,
      source: c.source,
      expected: c.expected,
      actual: c.actual,
      delta: c.delta,
      tolerance: c.tolerance,
      pass: c.pass,
    })),
  };
  writeAtomic(file, JSON.stringify(report, null, 2) + '\n');
}
