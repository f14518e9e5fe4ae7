/**
 * The accuracy fixtures' large inputs, regenerated bit for bit from the formula the fixture
 * stores (scripts/fixtures/accuracy_fixtures.py, `materialize`, computes the same numbers in
 * numpy): integer arithmetic below 2^53 and IEEE double `+`, `*`, `/` by a power of two, so
 * Python and JavaScript agree exactly. A fixture's `check` pairs catch any mismatch.
 */

/** `lo + span * (k_i / m)` for i < product(shape), k the scramble below; `float32` rounds each value. */
export interface ScrambleFormula {
  formula: 'scramble';
  shape: number[];
  a: number;
  c: number;
  m: number;
  lo: number;
  span: number;
  float32?: boolean;
}

/** Every element `value`, but for the [index, value] pairs of `at` (a confident row's max, say). */
export interface FillFormula {
  formula: 'fill';
  shape: number[];
  value: number;
  at?: [number, number][];
}

/** Integers `k_i mod classes` (class indices, or 0/1 labels for classes 2). */
export interface LabelsFormula {
  formula: 'labels';
  shape: number[];
  a: number;
  c: number;
  m: number;
  classes: number;
}

/** Rows `[N, C]`, row i one-hot at `k_i mod C`. */
export interface OneHotFormula {
  formula: 'onehot';
  shape: [number, number];
  a: number;
  c: number;
  m: number;
}

export type Formula = ScrambleFormula | FillFormula | LabelsFormula | OneHotFormula;

export function isFormula(v: unknown): v is Formula {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && typeof (v as { formula?: unknown }).formula === 'string';
}

/** Generated data: flat row-major values with their shape; `integer` for labels. */
export interface Generated {
  data: Float64Array;
  shape: number[];
  integer: boolean;
}

/** k_i = ((a (i mod m) + c) mod m)^2 + i) mod m, every intermediate below 2^53 (a, m <= 2^24, i < 2^28). */
export function scrambleInts(n: number, a: number, c: number, m: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k0 = (a * (i % m) + c) % m;
    out[i] = (k0 * k0 + i) % m;
  }
  return out;
}

export function generate(f: Formula): Generated {
  const shape = f.shape.slice();
  const n = shape.reduce((p, d) => p * d, 1);
  switch (f.formula) {
    case 'scramble': {
      const k = scrambleInts(n, f.a, f.c, f.m);
      for (let i = 0; i < n; i++) {
        const v = f.lo + f.span * (k[i]! / f.m);
        k[i] = f.float32 ? Math.fround(v) : v;
      }
      return { data: k, shape, integer: false };
    }
    case 'fill': {
      const data = new Float64Array(n).fill(f.value);
      for (const [i, v] of f.at ?? []) data[i] = v;
      return { data, shape, integer: false };
    }
    case 'labels': {
      const k = scrambleInts(n, f.a, f.c, f.m);
      for (let i = 0; i < n; i++) k[i] = k[i]! % f.classes;
      return { data: k, shape, integer: true };
    }
    case 'onehot': {
      const [rows, cols] = f.shape;
      const k = scrambleInts(rows, f.a, f.c, f.m);
      const data = new Float64Array(rows * cols);
      for (let r = 0; r < rows; r++) data[r * cols + (k[r]! % cols)] = 1;
      return { data, shape, integer: false };
    }
  }
}

/** A short description of a formula for the docs page. */
export function describeFormula(f: Formula): string {
  const n = f.shape.reduce((p, d) => p * d, 1);
  const size = f.shape.length > 1 ? `[${f.shape.join(' x ')}]` : sizeText(n);
  switch (f.formula) {
    case 'scramble':
      return `${size} scrambled${f.float32 ? ' float32' : ''} values in [${f.lo}, ${f.lo + f.span})${f.m < 1 << 24 ? ` (${f.m} distinct)` : ''}`;
    case 'fill':
      return `${size} values, all ${f.value}${f.at ? ` but ${f.at.map(([i, v]) => `${v} at ${i}`).join(', ')}` : ''}`;
    case 'labels':
      return f.classes === 2 ? `${size} scrambled 0/1 labels` : `${size} scrambled class indices in [0, ${f.classes})`;
    case 'onehot':
      return `${size} scrambled one-hot rows`;
  }
}

function sizeText(n: number): string {
  const e = Math.log10(n);
  return Number.isInteger(e) && e >= 3 ? `1e${e}` : String(n);
}
