/**
 * The accuracy report: every case of every fixture run through losslab (every call path) and,
 * optionally, TensorFlow.js, scored against the exact reference next to PyTorch's stored
 * results, with the bounds of error.ts checked. The test suite (test/accuracy/) asserts that no
 * case has failures; the docs page (page.ts) is rendered from the same report.
 */
import { F32_GRAD_REL, F32_TINY_ABS, formatError, quantityError, REL_BOUND, TINY_ABS, TORCH_FLOOR, worse, type QuantityError } from './error';
import { fixtureNumber, loadFixtures, type AccuracyCase, type AccuracyFixture, type Reference } from './fixtures';
import { describeFormula, isFormula } from './formula';
import { runLosslab, type PathResult } from './run';
import { runTfjs, useTfjsCpu } from './tfjs';

/** A system's worst errors on one case. */
export interface SystemScore {
  value: QuantityError | null;
  grad: QuantityError | null;
  /** What computed it (PyTorch / tfjs function). */
  via?: string;
  /** The system threw. */
  error?: string;
}

export interface PathScore extends SystemScore {
  path: string;
  float32Grad: boolean;
}

export interface CaseScore {
  export: string;
  name: string;
  note: string;
  tags: string[];
  dtype: 'float64' | 'float32';
  /** The inputs, for a reader: literal (abridged) or the formula described. */
  inputs: string;
  /** Worst over every path. */
  losslab: SystemScore;
  paths: PathScore[];
  torch: SystemScore | null;
  tfjs: SystemScore | null;
  /** Every bound the case misses, in words, naming the call path; empty when it meets them all. */
  failures: string[];
  /** The same without the call paths, each miss once. */
  misses: string[];
}

export interface AccuracyReport {
  fixtures: Pick<AccuracyFixture, 'export' | 'torch' | 'mpmath' | 'dps' | 'torchvision'>[];
  cases: CaseScore[];
  tfjs: boolean;
}

function asList<T>(v: T | T[]): T[] {
  return Array.isArray(v) ? v : [v];
}

function score(got: number[] | undefined, hi: (number | null)[] | undefined, lo: (number | null)[] | undefined, tinyBelow?: number): QuantityError | null {
  if (!got || !hi) return null;
  return quantityError(got, hi, lo ?? [], tinyBelow);
}

function refValue(r: Reference) {
  return { hi: asList(r.value), lo: asList(r.valueLo) };
}

/** PyTorch's stored results scored against the reference. */
export function scoreTorch(c: AccuracyCase): SystemScore | null {
  if (!c.torch) return null;
  const { hi, lo } = refValue(c.reference);
  return {
    via: c.torch.via,
    value: score(asList(c.torch.value).map(fixtureNumber), hi, lo),
    grad: c.torch.grad ? score(c.torch.grad.map(fixtureNumber), c.reference.grad, c.reference.gradLo) : null,
  };
}

export function scorePaths(c: AccuracyCase, paths: PathResult[]): PathScore[] {
  const { hi, lo } = refValue(c.reference);
  return paths.map((p) => ({
    path: p.path,
    float32Grad: p.float32Grad === true,
    ...(p.error !== undefined ? { error: p.error } : {}),
    value: score(p.value, hi, lo),
    grad: score(p.grad, c.reference.grad, c.reference.gradLo, p.float32Grad ? F32_TINY_ABS : undefined),
  }));
}

function worstOf(paths: SystemScore[]): SystemScore {
  const out: SystemScore = { value: null, grad: null };
  for (const p of paths) {
    out.value = worse(out.value, p.value);
    out.grad = worse(out.grad, p.grad);
    if (p.error !== undefined && out.error === undefined) out.error = p.error;
  }
  return out;
}

/** A missed bound: the call path, and what was missed. */
export interface Miss {
  path: string;
  what: string;
}

/** The bounds, checked: each miss says which path, which quantity, how far and which bound. */
export function missesOf(c: AccuracyCase, paths: PathScore[], torch: SystemScore | null): Miss[] {
  const out: Miss[] = [];
  const miss = (path: string, what: string) => out.push({ path, what });
  for (const p of paths) {
    if (p.error !== undefined) {
      miss(p.path, `throws: ${p.error}`);
      continue;
    }
    for (const kind of ['value', 'grad'] as const) {
      const q = p[kind];
      if (!q) continue;
      const f32 = kind === 'grad' && p.float32Grad;
      const relBound = f32 ? F32_GRAD_REL : REL_BOUND;
      const absBound = f32 ? F32_TINY_ABS : TINY_ABS;
      const where = (i: number) => c.reference[kind === 'value' ? 'valueIndices' : 'gradIndices']?.[i] ?? i;
      if (!(q.rel <= relBound)) miss(p.path, `${kind} relative error ${formatError(q.rel)} at [${where(q.relAt)}] exceeds ${formatError(relBound)}`);
      if (!(q.tinyAbs <= absBound))
        miss(p.path, `${kind} absolute error ${formatError(q.tinyAbs)} at [${where(q.tinyAt)}], where the exact result is 0 or subnormal, exceeds ${formatError(absBound)}`);
      const t = torch?.[kind];
      if (t && !f32) {
        const floor = Math.max(Number.isNaN(t.rel) ? Infinity : t.rel, TORCH_FLOOR);
        if (!(q.rel <= floor)) miss(p.path, `${kind} relative error ${formatError(q.rel)} is worse than PyTorch's ${formatError(t.rel)}`);
        const tinyFloor = Math.max(t.tinyAbs, TINY_ABS);
        if (!(q.tinyAbs <= tinyFloor)) miss(p.path, `${kind} absolute error ${formatError(q.tinyAbs)} is worse than PyTorch's ${formatError(t.tinyAbs)}`);
      }
    }
  }
  return out;
}

/** Scores one case through losslab (and tfjs when asked: call useTfjsCpu first). */
export function scoreCase(exportName: string, c: AccuracyCase, options: { tfjs?: boolean } = {}): CaseScore {
  const paths = scorePaths(c, runLosslab(exportName, c));
  const torch = scoreTorch(c);
  const misses = missesOf(c, paths, torch);
  let tfjs: SystemScore | null = null;
  if (options.tfjs) {
    const r = runTfjs(exportName, c, !c.reference.grad);
    if (r) {
      const { hi, lo } = refValue(c.reference);
      tfjs = {
        via: r.via,
        ...(r.error !== undefined ? { error: r.error } : {}),
        value: score(r.value, hi, lo),
        grad: score(r.grad, c.reference.grad, c.reference.gradLo),
      };
    }
  }
  return {
    export: exportName,
    name: c.name,
    note: c.note,
    tags: c.tags,
    dtype: c.dtype,
    inputs: describeInputs(c),
    losslab: worstOf(paths),
    paths,
    torch,
    tfjs,
    failures: misses.map((m) => `${m.path}: ${m.what}`),
    misses: [...new Set(misses.map((m) => m.what))],
  };
}

/** Runs every case of every fixture in `dir`. */
export async function accuracyReport(dir: string, options: { tfjs?: boolean; exports?: string[] } = {}): Promise<AccuracyReport> {
  const fixtures = loadFixtures(dir).filter((f) => !options.exports || options.exports.includes(f.export));
  if (options.tfjs) await useTfjsCpu();
  const cases: CaseScore[] = [];
  for (const f of fixtures) for (const c of f.cases) cases.push(scoreCase(f.export, c, options));
  return {
    fixtures: fixtures.map(({ export: e, torch, mpmath, dps, torchvision }) => ({ export: e, torch, mpmath, dps, torchvision })),
    cases,
    tfjs: options.tfjs === true,
  };
}

// ---------------------------------------------------------------- describing inputs

/** A number as a reader writes it: shortest digits, exponent form for very large or small. */
export function formatNumber(v: number): string {
  if (v === 0 || (Math.abs(v) >= 1e-4 && Math.abs(v) < 1e6)) return String(v);
  return v.toExponential().replace('e+', 'e');
}

function literal(v: unknown): string {
  if (typeof v === 'number') return formatNumber(v);
  if (Array.isArray(v)) return `[${v.map(literal).join(', ')}]`;
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'boolean') return String(v);
  if (v && typeof v === 'object')
    return `{ ${Object.entries(v)
      .map(([k, w]) => `${k}: ${literal(w)}`)
      .join(', ')} }`;
  return String(v);
}

/** Literal inputs longer than this are abridged to their shape. */
const LITERAL_MAX = 90;

function valueText(v: unknown): string {
  if (isFormula(v)) return describeFormula(v);
  const s = literal(v);
  if (s.length <= LITERAL_MAX) return s;
  const dims: number[] = [];
  for (let a: unknown = v; Array.isArray(a); a = a[0]) dims.push(a.length);
  const shape = dims.length ? `[${dims.join(' x ')}]` : '';
  return `${shape} values (${s.slice(0, 40)}…)`;
}

export function describeInputs(c: AccuracyCase): string {
  if (c.args) {
    const names = c.argNames ?? c.args.map((_, k) => `arg${k}`);
    const parts = c.args.map((a, k) => `${names[k]} ${valueText(a)}`);
    if (Object.keys(c.options).length) parts.push(`options ${literal(c.options)}`);
    return parts.join('; ');
  }
  const parts = [`input ${valueText(c.input)}`];
  if (c.target !== undefined) parts.push(`target ${valueText(c.target)}`);
  if (Object.keys(c.options).length) parts.push(`options ${literal(c.options)}`);
  return parts.join('; ');
}
