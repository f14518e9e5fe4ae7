/**
 * Runs one accuracy case through losslab, every way a caller gets a value or a gradient:
 * `f(input, target, options)`, `f.grad(...)` and `f.valueAndGrad(...)`, and for float32 cases
 * also with the gradient written into a caller's Float32Array (`out`), the fast path.
 * Helpers (softmax, logSoftmax, sigmoid, logSumExp, entropy) are called as `f(input)`; losses of
 * several arguments as `f(...args, options)`, their gradients (one per differentiable argument)
 * flattened and concatenated in argument order.
 */
import * as losslab from '../../index';
import { caseInput, isGenerated, materialize, type AccuracyCase } from './fixtures';
import { isFormula } from './formula';

/** The exports whose target is class indices (crossEntropy: unless the target holds probabilities). */
const CLASS_INDEX_TARGETS = new Set(['crossEntropy', 'nllLoss', 'sparseCategoricalCrossEntropy', 'focalLoss']);
export const HELPERS = new Set(['softmax', 'logSoftmax', 'sigmoid', 'logSumExp', 'entropy']);

/** One way of calling the export, and what it returned (flattened, at the reference's indices). */
export interface PathResult {
  path: string;
  value?: number[];
  grad?: number[];
  /** The gradient was written into a Float32Array (the float32 fast path's bound applies). */
  float32Grad?: boolean;
  /** The call threw. */
  error?: string;
}

type AnyFn = ((...args: unknown[]) => unknown) & {
  grad?: (...args: unknown[]) => unknown;
  valueAndGrad?: (...args: unknown[]) => { value: unknown; grad: unknown };
};

export function losslabExport(name: string): AnyFn {
  const f = (losslab as Record<string, unknown>)[name];
  if (typeof f !== 'function') throw new Error(`losslab has no export "${name}", yet test/fixtures/accuracy/${name}.json expects one`);
  return f as AnyFn;
}

/** Numbers out of a number, a typed array, nested arrays or a { data } tensor. */
export function flatten(x: unknown): number[] {
  if (typeof x === 'number') return [x];
  if (ArrayBuffer.isView(x)) return Array.from(x as Float64Array);
  if (Array.isArray(x)) return x.flatMap((v) => flatten(v));
  if (x && typeof x === 'object' && 'data' in x) return flatten(x.data);
  throw new Error(`cannot read the result ${String(x)}`);
}

/** The elements at `indices` (all when undefined). */
export function pick(values: number[], indices: number[] | undefined): number[] {
  return indices ? indices.map((i) => values[i]!) : values;
}

function flatLiteral(v: unknown): number[] {
  return flatten(v);
}

/** The shape of a nested literal array (rectangular, as the fixtures write them). */
function shapeOfLiteral(v: unknown): number[] {
  if (typeof v === 'number') return [];
  if (Array.isArray(v)) return [v.length, ...(v.length > 0 ? shapeOfLiteral(v[0]) : [])];
  throw new Error(`not a literal array: ${String(v)}`);
}

/** A float input in the case's dtype: literal float64 as is, everything else as a typed tensor (or vector). */
function floatValues(v: unknown, dtype: 'float64' | 'float32'): unknown {
  if (isGenerated(v)) return typed(v.data, v.shape, dtype);
  if (dtype === 'float64' || typeof v === 'number') return v;
  return typed(flatLiteral(v), shapeOfLiteral(v), dtype);
}

function typed(data: ArrayLike<number>, shape: number[], dtype: 'float64' | 'float32'): unknown {
  const arr = dtype === 'float32' ? Float32Array.from(data) : Float64Array.from(data);
  return shape.length === 1 ? arr : { data: arr, shape };
}

/** The target as the export takes it: class indices as numbers / Int32Array, float targets in the case's dtype. */
export function caseTarget(exportName: string, c: AccuracyCase): unknown {
  const t = materialize(c.target);
  const classIndices = CLASS_INDEX_TARGETS.has(exportName) && !(exportName === 'crossEntropy' && holdsProbabilities(c));
  if (isGenerated(t)) {
    const g = t;
    if (classIndices) return Int32Array.from(g.data);
    return typed(g.data, g.shape, c.dtype);
  }
  if (classIndices) return c.dtype === 'float32' && Array.isArray(t) ? Int32Array.from(t as number[]) : t;
  return floatValues(t, c.dtype);
}

/** crossEntropy's rule: nested targets hold probabilities, so does a flat target of length C for one [C] input (C > 1). */
export function holdsProbabilities(c: AccuracyCase): boolean {
  const t = c.target;
  if (typeof t === 'number') return false;
  if (isFormula(t)) return t.formula !== 'labels';
  if (!Array.isArray(t)) return false;
  if (Array.isArray(t[0])) return true;
  const input = c.input;
  return Array.isArray(input) && !Array.isArray(input[0]) && t.length === input.length && input.length > 1;
}

function attempt(path: string, run: () => Omit<PathResult, 'path'>): PathResult {
  try {
    return { path, ...run() };
  } catch (e) {
    return { path, error: (e as Error).message };
  }
}

/**
 * `f(...args, options)`, `f.grad` and `f.valueAndGrad` on the case, named with `names` (the
 * arguments' names); with `outSizes` (a float32 case) also `f.valueAndGrad` and `f.grad` writing
 * the gradients into Float32Array buffers of those sizes (`out`: one buffer, or an array of them
 * for a loss of several gradients), the fast path.
 */
function lossPaths(f: AnyFn, args: unknown[], names: string, c: AccuracyCase, outSizes: number[] | null): PathResult[] {
  const o = c.options;
  const vi = c.reference.valueIndices;
  const gi = c.reference.gradIndices;
  const paths = [
    attempt(`f(${names}, options)`, () => ({ value: pick(flatten(f(...args, o)), vi) })),
    attempt(`f.grad(${names}, options)`, () => ({ grad: pick(flatten(f.grad!(...args, o)), gi) })),
    attempt(`f.valueAndGrad(${names}, options)`, () => {
      const r = f.valueAndGrad!(...args, o);
      return { value: pick(flatten(r.value), vi), grad: pick(flatten(r.grad), gi) };
    }),
  ];
  if (!outSizes) return paths;
  const buffers = () => outSizes.map((n) => new Float32Array(n));
  const withOut = (outs: Float32Array[]) => ({ ...o, out: outs.length === 1 ? outs[0] : outs });
  const written = (outs: Float32Array[]) =>
    pick(
      outs.flatMap((b) => Array.from(b)),
      gi,
    );
  paths.push(
    attempt(`f.valueAndGrad(${names}, { out: Float32Array })`, () => {
      const outs = buffers();
      const r = f.valueAndGrad!(...args, withOut(outs));
      return { value: pick(flatten(r.value), vi), grad: written(outs), float32Grad: true };
    }),
    attempt(`f.grad(${names}, { out: Float32Array })`, () => {
      const outs = buffers();
      f.grad!(...args, withOut(outs));
      return { grad: written(outs), float32Grad: true };
    }),
  );
  return paths;
}

/**
 * A loss of several arguments: its literal arguments as they are; in a float32 case those listed in
 * `float32Args` as Float32Array tensors, and the gradients also written into Float32Arrays.
 */
function runMulti(f: AnyFn, c: AccuracyCase): PathResult[] {
  const f32 = c.dtype === 'float32';
  if (f32 && !c.float32Args?.length) throw new Error(`${c.name}: a float32 case of several arguments lists its float32Args`);
  const args = c.args!.map((a, k) => (f32 && c.float32Args!.includes(k) ? floatValues(a, 'float32') : a));
  const names = (c.argNames ?? args.map((_, k) => `arg${k}`)).join(', ');
  return lossPaths(f, args, names, c, f32 ? c.reference.gradSizes! : null);
}

/** Every path of the export on the case; each path's numbers are taken at the reference's indices. */
export function runLosslab(exportName: string, c: AccuracyCase): PathResult[] {
  const f = losslabExport(exportName);
  if (c.args) return runMulti(f, c);
  const input = floatValues(caseInput(c), c.dtype);
  const vi = c.reference.valueIndices;
  const gi = c.reference.gradIndices;
  if (HELPERS.has(exportName)) {
    const paths = [attempt(`${exportName}(input)`, () => ({ value: pick(flatten(f(input)), vi) }))];
    // a helper with a gradient (entropy): where the reference has one
    if (c.reference.grad && typeof f.grad === 'function') {
      paths.push(attempt(`${exportName}.grad(input)`, () => ({ grad: pick(flatten(f.grad!(input)), gi) })));
      if (typeof f.valueAndGrad === 'function') {
        paths.push(
          attempt(`${exportName}.valueAndGrad(input)`, () => {
            const r = f.valueAndGrad!(input);
            return { value: pick(flatten(r.value), vi), grad: pick(flatten(r.grad), gi) };
          }),
        );
      }
    }
    return paths;
  }

  const target = caseTarget(exportName, c);
  return lossPaths(f, [input, target], 'input, target', c, c.dtype === 'float32' ? [flatten(input).length] : null);
}
